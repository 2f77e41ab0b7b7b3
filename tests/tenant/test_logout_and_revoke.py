"""Ending things: /oauth/revoke (RFC 7009), /oidc/logout (RP-Initiated Logout) and /v2/logout's rules."""

import base64

import pytest

from tests.tenant.conftest import LOOPBACK_SITE, SITE, WEB_APP, code_params, password_grant, pkce_pair, query_of, sign_in
from tests.tenant.test_authorize import redeem


def refresh(tenant, token: str):
    """Use a refresh token at the token endpoint."""
    return tenant.post("/oauth/token", data={"grant_type": "refresh_token", "refresh_token": token, **WEB_APP})


def offline_tokens(tenant) -> dict:
    """A password-grant response with a refresh token."""
    body = password_grant(tenant, scope="openid offline_access").json()
    assert "refresh_token" in body
    return body


def test_discovery_names_the_revocation_and_logout_endpoints(tenant):
    document = tenant.get("/.well-known/openid-configuration").json()
    assert document["revocation_endpoint"] == f"{SITE}/oauth/revoke"
    assert document["end_session_endpoint"] == f"{SITE}/oidc/logout"


def test_revoking_a_refresh_token_stops_its_whole_rotation_family(tenant):
    first = offline_tokens(tenant)
    second = refresh(tenant, first["refresh_token"]).json()
    third = refresh(tenant, second["refresh_token"]).json()
    answer = tenant.post("/oauth/revoke", data={"token": first["refresh_token"], **WEB_APP})
    assert answer.status_code == 200 and answer.content == b""
    refused = refresh(tenant, third["refresh_token"])
    assert refused.status_code == 403 and refused.json()["error"] == "invalid_grant"


def test_revocation_with_basic_auth_and_json_body(tenant):
    token = offline_tokens(tenant)["refresh_token"]
    basic = base64.b64encode(b"web-app:web-app-secret").decode()
    answer = tenant.post("/oauth/revoke", json={"token": token}, headers={"Authorization": f"Basic {basic}"})
    assert answer.status_code == 200
    assert refresh(tenant, token).status_code == 403


def test_another_clients_or_unknown_token_is_a_quiet_200_and_stays_valid(tenant):
    token = offline_tokens(tenant)["refresh_token"]
    assert tenant.post("/oauth/revoke", data={"token": token, "client_id": "swagger-ui"}).status_code == 200
    assert tenant.post("/oauth/revoke", data={"token": "no-such-token", **WEB_APP}).status_code == 200
    assert refresh(tenant, token).status_code == 200


@pytest.mark.parametrize(("data", "status", "body"), [
    ({**WEB_APP}, 400, {"error": "invalid_request", "error_description": "Missing required parameter: token"}),
    ({"token": "x", "client_id": "web-app", "client_secret": "wrong"}, 401, {"error": "invalid_client"}),
    ({"token": "x", "client_id": "web-app"}, 401, {"error": "invalid_client"}),
    ({"token": "x", "client_id": "nobody"}, 401, {"error": "invalid_client"}),
    ({"token": "x"}, 401, {"error": "invalid_client"}),
])
def test_revocation_errors_as_auth0_answers_them(tenant, data, status, body):
    answer = tenant.post("/oauth/revoke", data=data)
    assert answer.status_code == status
    assert body.items() <= answer.json().items()


def signed_in_id_token(tenant) -> str:
    """Sign in through the browser flow; the ID token (with its sid) issued to Swagger UI's client."""
    verifier, challenge = pkce_pair()
    location = sign_in(tenant, code_params(code_challenge=challenge, code_challenge_method="S256"),
                       "alice@example.com", "alice-demo-1")
    return redeem(tenant, query_of(location)["code"], verifier).json()["id_token"]


def has_tenant_session(tenant) -> bool:
    """Whether /authorize would skip the login form."""
    verifier, challenge = pkce_pair()
    location = tenant.get("/authorize", params=code_params(code_challenge=challenge,
                                                                   code_challenge_method="S256")).headers["location"]
    return "/u/login" not in location


def test_oidc_logout_with_id_token_hint_returns_with_state(tenant):
    id_token = signed_in_id_token(tenant)
    answer = tenant.get("/oidc/logout", params={
        "id_token_hint": id_token, "post_logout_redirect_uri": f"{SITE}/docs", "state": "bye"})
    assert answer.status_code == 302 and answer.headers["location"] == f"{SITE}/docs?state=bye"
    assert not has_tenant_session(tenant)


def test_oidc_logout_with_client_id_and_no_return_shows_a_page(tenant):
    signed_in_id_token(tenant)
    answer = tenant.get("/oidc/logout", params={"client_id": "swagger-ui"})
    assert answer.status_code == 200 and "logged out" in answer.text
    assert not has_tenant_session(tenant)


@pytest.mark.parametrize(("params", "message"), [
    ({"client_id": "swagger-ui", "post_logout_redirect_uri": "https://attacker.example"}, "Allowed Logout URLs"),
    ({"post_logout_redirect_uri": SITE}, "needs client_id or id_token_hint"),
    ({"id_token_hint": "not.a.token"}, "not an ID token issued by this tenant"),
    ({"client_id": "nobody"}, "no client"),
])
def test_oidc_logout_refusals(tenant, params, message):
    signed_in_id_token(tenant)
    answer = tenant.get("/oidc/logout", params=params)
    assert answer.status_code == 400 and "location" not in answer.headers and message in answer.text
    assert has_tenant_session(tenant)


def test_oidc_logout_hint_for_another_session_is_refused_and_says_so(tenant):
    id_token = signed_in_id_token(tenant)
    answer = tenant.get("/oidc/logout", params={"client_id": "swagger-ui", "logout_hint": "some-other-sid",
                                                       "post_logout_redirect_uri": SITE})
    assert answer.status_code == 400 and "location" not in answer.headers
    assert "you are still logged in" in answer.text and "You are logged out" not in answer.text
    assert has_tenant_session(tenant)
    mismatched = tenant.get("/oidc/logout", params={"id_token_hint": id_token, "logout_hint": "some-other-sid"})
    assert mismatched.status_code == 400 and "does not match the sid of id_token_hint" in mismatched.text
    assert has_tenant_session(tenant)
    assert tenant.post("/oidc/logout", data={"id_token_hint": id_token}).status_code == 200
    assert not has_tenant_session(tenant)


def test_oidc_logout_with_the_id_token_of_an_earlier_session_is_refused(tenant):
    earlier = signed_in_id_token(tenant)
    tenant.get("/v2/logout")
    signed_in_id_token(tenant)  # a new session
    answer = tenant.get("/oidc/logout", params={"id_token_hint": earlier,
                                                       "post_logout_redirect_uri": f"{SITE}/docs"})
    assert answer.status_code == 400 and "location" not in answer.headers and "still logged in" in answer.text
    assert has_tenant_session(tenant)


def test_v2_logout_with_client_id_and_no_return_goes_to_its_first_logout_url(tenant):
    answer = tenant.get("/v2/logout", params={"client_id": "web-app"})
    assert answer.status_code == 302 and answer.headers["location"] == SITE


def test_v2_logout_without_client_id_uses_the_tenant_list(loopback_tenant):
    tenant, site = loopback_tenant, LOOPBACK_SITE
    assert tenant.get("/v2/logout", params={"returnTo": site}).headers["location"] == site
    refused = tenant.get("/v2/logout", params={"returnTo": "http://localhost:9001"})
    assert refused.status_code == 400 and "the tenant" in refused.text
    allowed_for_client = tenant.get("/v2/logout", params={"returnTo": "http://localhost:9001",
                                                                 "client_id": "web-app"})
    assert allowed_for_client.headers["location"] == "http://localhost:9001"
