"""auth_time in ID tokens, and max_age and prompt=login asking the user to log in again."""

import time

from fastapi.testclient import TestClient

from main import create_app
from tests.conftest import builtin_settings, claims_of
from tests.tenant.conftest import code_params, password_grant, pkce_pair, query_of, sign_in
from tests.tenant.test_authorize import redeem


def authorize_with_pkce(**overrides: str) -> tuple[dict, str]:
    """A code request for Swagger UI's client, and its PKCE verifier."""
    verifier, challenge = pkce_pair()
    return code_params(code_challenge=challenge, code_challenge_method="S256", **overrides), verifier


def id_token_after(tenant, location: str, verifier: str) -> dict:
    """The claims of the ID token the code in `location` is redeemed for."""
    response = redeem(tenant, query_of(location)["code"], verifier)
    assert response.status_code == 200, response.text
    return claims_of(response.json()["id_token"])


def test_id_token_carries_the_time_of_the_session_login(tenant):
    before = int(time.time())
    params, verifier = authorize_with_pkce()
    first = id_token_after(tenant, sign_in(tenant, params, "alice@example.com", "alice-demo-1"), verifier)
    assert before <= first["auth_time"] <= int(time.time())

    time.sleep(1.1)
    params, verifier = authorize_with_pkce(max_age="3600")
    location = tenant.get("/authorize", params=params).headers["location"]
    second = id_token_after(tenant, location, verifier)
    assert second["auth_time"] == first["auth_time"], "the session's login time, not the time of this request"
    assert second["iat"] > first["auth_time"]


def test_max_age_zero_and_prompt_login_show_the_login_form_again(tenant):
    params, verifier = authorize_with_pkce()
    first = id_token_after(tenant, sign_in(tenant, params, "alice@example.com", "alice-demo-1"), verifier)
    for extra in ({"max_age": "0"}, {"prompt": "login"}):
        params, _ = authorize_with_pkce(**extra)
        location = tenant.get("/authorize", params=params).headers["location"]
        assert "/u/login?" in location, extra

    time.sleep(1.1)
    params, verifier = authorize_with_pkce(max_age="0")
    again = id_token_after(tenant, sign_in(tenant, params, "alice@example.com", "alice-demo-1"), verifier)
    assert again["auth_time"] > first["auth_time"]


def test_session_older_than_max_age_needs_a_new_login(tenant):
    params, verifier = authorize_with_pkce()
    sign_in(tenant, params, "alice@example.com", "alice-demo-1")
    time.sleep(2.1)
    params, _ = authorize_with_pkce(max_age="1")
    assert "/u/login?" in tenant.get("/authorize", params=params).headers["location"]
    params, _ = authorize_with_pkce(max_age="60")
    assert "code" in query_of(tenant.get("/authorize", params=params).headers["location"])


def test_prompt_none_with_a_too_old_session_is_login_required(tenant):
    params, _ = authorize_with_pkce()
    sign_in(tenant, params, "alice@example.com", "alice-demo-1")
    params, _ = authorize_with_pkce(max_age="0", prompt="none")
    returned = query_of(tenant.get("/authorize", params=params).headers["location"])
    assert returned["error"] == "login_required" and returned["state"] == "xyz"


def test_max_age_must_be_a_number(tenant):
    params, _ = authorize_with_pkce(max_age="soon")
    returned = query_of(tenant.get("/authorize", params=params).headers["location"])
    assert returned["error"] == "invalid_request" and "max_age" in returned["error_description"]


def test_refreshed_and_password_grant_id_tokens_carry_auth_time(tenant):
    before = int(time.time())
    body = password_grant(tenant, scope="openid offline_access").json()
    assert before <= claims_of(body["id_token"])["auth_time"] <= int(time.time())
    refreshed = tenant.post("/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": body["refresh_token"],
        "client_id": "web-app", "client_secret": "web-app-secret"})
    assert claims_of(refreshed.json()["id_token"])["auth_time"] == claims_of(body["id_token"])["auth_time"]


def test_over_https_the_session_cookie_is_samesite_none_with_a_legacy_twin(tmp_path):
    origin = "https://testserver"
    app = create_app(builtin_settings(tmp_path, origin=origin))
    with TestClient(app, base_url=origin, follow_redirects=False) as client:
        params, _ = authorize_with_pkce(redirect_uri=f"{origin}/docs/oauth2-redirect")
        login = client.get("/authorize", params=params).headers["location"]
        answer = client.post("/u/login", data={"state": query_of(login)["state"],
                                                      "username": "alice@example.com", "password": "alice-demo-1"})
        cookies = {line.split("=", 1)[0]: line.lower() for line in answer.headers.get_list("set-cookie")}
        assert "samesite=none" in cookies["auth0"] and "secure" in cookies["auth0"]
        assert "samesite" not in cookies["auth0_compat"] and "secure" in cookies["auth0_compat"]

        client.cookies.delete("auth0")
        again = client.get("/authorize", params=params).headers["location"]
        assert "code" in query_of(again), "an old browser's legacy cookie keeps the session"


def test_max_age_in_other_digits_is_invalid_request_with_a_live_session(tenant):
    params, _ = authorize_with_pkce()
    sign_in(tenant, params, "alice@example.com", "alice-demo-1")
    for max_age in ("²", "١٠", "60s"):
        params, _ = authorize_with_pkce(max_age=max_age)
        answer = tenant.get("/authorize", params=params)
        assert answer.status_code == 302, max_age
        assert query_of(answer.headers["location"])["error"] == "invalid_request"
