"""/authorize, the login page and the tenant session: code + PKCE, implicit, prompt, logout."""

import re

import pytest

from tests.conftest import claims_of
from tests.tenant.conftest import (
    API,
    ISSUER,
    SITE,
    SWAGGER_CALLBACK,
    WEB_APP,
    WEB_CALLBACK,
    code_params,
    fragment_of,
    pkce_pair,
    query_of,
    sign_in,
)


def redeem(tenant, code: str, verifier: str | None, client: dict | None = None, redirect_uri: str = SWAGGER_CALLBACK):
    """Exchange an authorization code at the token endpoint."""
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            **(client or {"client_id": "swagger-ui"})}
    if verifier:
        data["code_verifier"] = verifier
    return tenant.post("/oauth/token", data=data)


def test_code_flow_with_pkce(tenant):
    verifier, challenge = pkce_pair()
    location = sign_in(tenant, code_params(code_challenge=challenge, code_challenge_method="S256"),
                       "alice@example.com", "alice-demo-1")
    assert location.startswith(SWAGGER_CALLBACK)
    returned = query_of(location)
    assert returned["state"] == "xyz"
    response = redeem(tenant, returned["code"], verifier)
    assert response.status_code == 200, response.text
    body = response.json()
    assert claims_of(body["id_token"])["nonce"] == "n-0S6"
    assert claims_of(body["id_token"])["aud"] == "swagger-ui"
    access = claims_of(body["access_token"])
    assert access["aud"] == [API, f"{ISSUER}userinfo"] and "gty" not in access
    assert access["scope"] == "openid profile email read:messages"


@pytest.mark.parametrize("method", ["plain", None, "s256"])
def test_pkce_other_than_s256_is_refused_at_the_callback(tenant, method):
    verifier, _ = pkce_pair()
    params = code_params(code_challenge=verifier, **({"code_challenge_method": method} if method else {}))
    response = tenant.get("/authorize", params=params)
    assert response.status_code == 302
    returned = query_of(response.headers["location"])
    assert response.headers["location"].startswith(SWAGGER_CALLBACK) and "code" not in returned
    assert returned["error"] == "invalid_request" and returned["state"] == "xyz"
    assert "S256" in returned["error_description"]


def test_discovery_offers_s256_alone(tenant):
    discovery = tenant.get("/.well-known/openid-configuration").json()
    assert discovery["code_challenge_methods_supported"] == ["S256"]


def test_code_is_single_use_and_bound_to_verifier_and_redirect(tenant):
    verifier, challenge = pkce_pair()
    params = code_params(code_challenge=challenge, code_challenge_method="S256")
    code = query_of(sign_in(tenant, params, "alice@example.com", "alice-demo-1"))["code"]
    wrong = redeem(tenant, code, pkce_pair()[0])
    assert wrong.status_code == 403 and wrong.json()["error"] == "invalid_grant"
    assert redeem(tenant, code, verifier).status_code == 403, "a code that failed once is gone"

    code = query_of(tenant.get("/authorize", params=params).headers["location"])["code"]
    assert redeem(tenant, code, verifier, redirect_uri=f"{SITE}/elsewhere").status_code == 403
    code = query_of(tenant.get("/authorize", params=params).headers["location"])["code"]
    assert redeem(tenant, code, verifier).status_code == 200
    replay = redeem(tenant, code, verifier)
    assert replay.status_code == 403
    assert replay.json() == {"error": "invalid_grant", "error_description": "Invalid authorization code"}


def test_public_client_must_send_a_verifier(tenant):
    _, challenge = pkce_pair()
    code = query_of(sign_in(tenant, code_params(code_challenge=challenge, code_challenge_method="S256"),
                            "alice@example.com", "alice-demo-1"))["code"]
    response = redeem(tenant, code, None)
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


def test_web_app_code_flow_with_client_secret_and_refresh_token(tenant):
    params = code_params(client_id="web-app", redirect_uri=WEB_CALLBACK, scope="openid profile offline_access")
    code = query_of(sign_in(tenant, params, "bob@example.com", "bob-demo-1"))["code"]
    response = redeem(tenant, code, None, client=WEB_APP, redirect_uri=WEB_CALLBACK)
    assert response.status_code == 200
    assert "refresh_token" in response.json()
    assert claims_of(response.json()["access_token"])["permissions"] == []


@pytest.mark.parametrize(("response_type", "expected"), [
    ("token", {"access_token", "scope", "expires_in", "token_type", "state"}),
    ("id_token token", {"access_token", "id_token", "scope", "expires_in", "token_type", "state"}),
    ("token id_token", {"access_token", "id_token", "scope", "expires_in", "token_type", "state"}),
    ("id_token", {"id_token", "state"}),
])
def test_implicit_flow_returns_tokens_in_the_fragment(tenant, response_type, expected):
    location = sign_in(tenant, code_params(response_type=response_type), "alice@example.com", "alice-demo-1")
    returned = fragment_of(location)
    assert set(returned) == expected
    assert "?" not in location
    if "id_token" in returned:
        assert claims_of(returned["id_token"])["nonce"] == "n-0S6"
        if "access_token" in returned:
            assert "at_hash" in claims_of(returned["id_token"])


def test_implicit_id_token_needs_a_nonce(tenant):
    response = tenant.get("/authorize", params=code_params(response_type="id_token token", nonce=""))
    assert response.status_code == 302
    assert fragment_of(response.headers["location"])["error"] == "invalid_request"


def test_confidential_client_cannot_use_implicit(tenant):
    response = tenant.get("/authorize", params=code_params(
        response_type="token", client_id="web-app", redirect_uri=WEB_CALLBACK))
    assert response.status_code == 403 and "location" not in response.headers
    assert "not allowed for the client" in response.text


def test_tenant_session_skips_the_form_until_logout(tenant):
    sign_in(tenant, code_params(response_type="token"), "alice@example.com", "alice-demo-1")
    again = tenant.get("/authorize", params=code_params(response_type="token", state="second"))
    assert again.headers["location"].startswith(SWAGGER_CALLBACK)
    assert fragment_of(again.headers["location"])["state"] == "second"
    assert tenant.get("/authorize", params=code_params(prompt="login")).headers["location"].startswith(
        f"{ISSUER}u/login")
    logout = tenant.get("/v2/logout", params={"returnTo": SITE, "client_id": "web-app"})
    assert logout.status_code == 302 and logout.headers["location"] == SITE
    silent = tenant.get("/authorize", params=code_params(prompt="none"))
    assert query_of(silent.headers["location"])["error"] == "login_required"
    assert query_of(silent.headers["location"])["state"] == "xyz"


def test_callback_mismatch_and_unknown_client_show_a_page_and_never_redirect(tenant):
    mismatch = tenant.get("/authorize", params=code_params(redirect_uri="https://attacker.example/cb"))
    assert mismatch.status_code == 400 and "location" not in mismatch.headers
    assert "Callback URL mismatch" in mismatch.text
    unknown = tenant.get("/authorize", params=code_params(client_id="nobody"))
    assert unknown.status_code == 400 and "location" not in unknown.headers
    assert "Unknown client" in unknown.text


def test_unknown_audience_is_redirected_as_access_denied(tenant):
    response = tenant.get("/authorize", params=code_params(audience="https://nope"))
    returned = query_of(response.headers["location"])
    assert returned["error"] == "access_denied" and "Service not found" in returned["error_description"]


def test_login_page_lists_demo_users_and_rejects_wrong_password(tenant):
    login_url = tenant.get("/authorize", params=code_params()).headers["location"]
    page = tenant.get(login_url)
    assert page.status_code == 200
    assert 'name="username"' in page.text and 'name="password"' in page.text
    for email in ("alice@example.com", "bob@example.com", "admin@example.com"):
        assert email in page.text
    assert page.headers["x-frame-options"] == "DENY"
    state = query_of(login_url)["state"]
    wrong = tenant.post("/u/login", data={"state": state, "username": "alice@example.com", "password": "x"})
    assert wrong.status_code == 401 and "Wrong email or password." in wrong.text


def test_login_form_is_bound_to_the_browser_that_started_it(tenant):
    login_url = tenant.get("/authorize", params=code_params()).headers["location"]
    state = query_of(login_url)["state"]
    tenant.cookies.clear()
    response = tenant.post("/u/login", data={"state": state, "username": "alice@example.com",
                                                    "password": "alice-demo-1"})
    assert response.status_code == 400 and "expired" in response.text


def test_sign_up_on_the_login_page_then_continue(tenant):
    login_url = tenant.get("/authorize", params=code_params(response_type="token")).headers["location"]
    state = query_of(login_url)["state"]
    weak = tenant.post("/u/signup", data={"state": state, "email": "carol@example.com", "password": "short"})
    assert weak.status_code == 400 and "At least 8 characters" in weak.text
    created = tenant.post("/u/signup", data={"state": state, "email": "carol@example.com",
                                                    "password": "Carol-demo-1"})
    assert created.status_code == 302
    token = fragment_of(created.headers["location"])["access_token"]
    assert claims_of(token)["sub"].startswith("auth0|")


@pytest.mark.parametrize(("query", "message"), [
    ({"returnTo": "https://attacker.example", "client_id": "web-app"}, "not in the Allowed Logout URLs"),
    ({"returnTo": SITE, "client_id": "nobody"}, "no client"),
    ({"returnTo": "https://attacker.example"}, "not in the Allowed Logout URLs"),
])
def test_logout_refuses_foreign_return_urls(tenant, query, message):
    response = tenant.get("/v2/logout", params=query)
    assert response.status_code == 400 and "location" not in response.headers
    assert message in response.text


def test_logout_without_return_url_shows_a_page(tenant):
    response = tenant.get("/v2/logout")
    assert response.status_code == 200 and re.search("logged out", response.text)
