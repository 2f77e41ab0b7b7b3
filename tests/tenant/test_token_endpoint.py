"""The token endpoint: Auth0's grants, token shapes, status codes and bodies."""


import httpx
import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import KeySet

from tenant.security.throttle import SlidingThrottle
from tests.conftest import claims_of, header_of
from tests.tenant.conftest import API, ISSUER, M2M, SITE, WEB_APP, password_grant
from tests.event_loops import run_on_a_thread


def verify(tenant, token: str) -> dict:
    """Verify a token's signature with the tenant's published JWKS and return its claims."""
    keys = KeySet.import_key_set(tenant.get("/.well-known/jwks.json").json())
    return jwt.decode(token, keys, algorithms=["RS256"]).claims


def test_password_grant_issues_auth0_shaped_tokens(tenant):
    response = password_grant(tenant, "alice")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert list(body) == ["access_token", "id_token", "scope", "expires_in", "token_type"]
    assert body["token_type"] == "Bearer" and body["expires_in"] == 86400
    access = verify(tenant, body["access_token"])
    assert header_of(body["access_token"])["alg"] == "RS256" and header_of(body["access_token"])["kid"]
    assert access["iss"] == ISSUER
    assert access["sub"].startswith("auth0|")
    assert access["aud"] == [API, f"{ISSUER}userinfo"]
    assert access["azp"] == "web-app" and access["gty"] == "password"
    assert access["exp"] - access["iat"] == 86400
    assert access["scope"] == "openid profile email read:messages"
    assert access["permissions"] == ["read:messages"]
    identity = verify(tenant, body["id_token"])
    assert identity["aud"] == "web-app" and identity["sub"] == access["sub"]
    assert identity["email"] == "alice@example.com" and identity["name"] == "Alice Example"
    assert identity["exp"] - identity["iat"] == 36000


@pytest.mark.parametrize(("user", "scope", "permissions"), [
    ("bob", "", []),
    ("admin", "read:messages admin:messages", ["read:messages", "admin:messages", "read:room"]),
])
def test_rbac_grants_only_the_permissions_a_user_holds(tenant, user, scope, permissions):
    access = claims_of(password_grant(tenant, user, scope="read:messages admin:messages").json()["access_token"])
    assert access["scope"] == scope
    assert access["permissions"] == permissions
    assert access["aud"] == API


def test_password_realm_grant(tenant):
    response = password_grant(tenant, "alice", grant_type="http://auth0.com/oauth/grant-type/password-realm",
                              realm="Username-Password-Authentication")
    assert response.status_code == 200
    unknown = password_grant(tenant, "alice", grant_type="http://auth0.com/oauth/grant-type/password-realm",
                             realm="google-oauth2")
    assert unknown.status_code == 400 and unknown.json()["error"] == "invalid_request"


def test_wrong_password_is_auth0s_403(tenant):
    response = password_grant(tenant, "alice", password="nope")
    assert response.status_code == 403
    assert response.json() == {"error": "invalid_grant", "error_description": "Wrong email or password."}
    assert password_grant(tenant, "nobody", password="whatever-1A").status_code == 403


def test_ten_failed_logins_block_the_user_from_that_address(tenant):
    for _ in range(10):
        assert password_grant(tenant, "bob", password="wrong").status_code == 403
    blocked = password_grant(tenant, "bob")
    assert blocked.status_code == 429
    assert blocked.json()["error"] == "too_many_attempts"
    assert password_grant(tenant, "alice").status_code == 200


def test_no_audience_gives_an_opaque_token_for_userinfo_only(tenant):
    body = password_grant(tenant, "alice", audience=None, scope="openid email").json()
    assert body["access_token"].count(".") == 4
    userinfo = tenant.get("/userinfo", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert userinfo.status_code == 200 and userinfo.json()["email"] == "alice@example.com"
    assert "name" not in userinfo.json()


def test_unknown_audience_is_service_not_found(tenant):
    response = password_grant(tenant, "alice", audience="https://other/api")
    assert response.status_code == 403
    assert response.json() == {"error": "access_denied", "error_description": "Service not found: https://other/api"}


def test_client_credentials_token_for_the_m2m_client(tenant):
    response = tenant.post("/oauth/token", data={"grant_type": "client_credentials", "audience": API, **M2M})
    assert response.status_code == 200
    access = verify(tenant, response.json()["access_token"])
    assert access["sub"] == "m2m@clients" and access["azp"] == "m2m"
    assert access["gty"] == "client-credentials" and access["scope"] == "read:messages"
    assert "id_token" not in response.json() and "refresh_token" not in response.json()


def test_client_credentials_refusals(tenant):
    post = lambda **data: tenant.post("/oauth/token", data={"grant_type": "client_credentials", **data})
    assert post(**M2M).json()["error"] == "access_denied"
    assert post(audience=API, client_id="m2m", client_secret="wrong").status_code == 401
    assert post(audience=API, client_id="m2m", client_secret="wrong").json() == {
        "error": "access_denied", "error_description": "Unauthorized"}
    not_allowed = post(audience=API, **WEB_APP)
    assert not_allowed.status_code == 403 and not_allowed.json()["error"] == "unauthorized_client"


def test_client_secret_basic_is_accepted(tenant):
    response = tenant.post("/oauth/token", data={"grant_type": "client_credentials", "audience": API},
                           auth=("m2m", "m2m-secret"))
    assert response.status_code == 200


def test_json_body_with_nulls_as_auth0_sdks_send(tenant):
    response = tenant.post("/oauth/token", json={
        "grant_type": "password", "username": "alice@example.com", "password": "alice-demo-1", "audience": API,
        "scope": None, "realm": None, "client_assertion": None, **WEB_APP})
    assert response.status_code == 200


def test_refresh_tokens_rotate_and_reuse_revokes_the_family(tenant):
    first = password_grant(tenant, "alice", scope="openid offline_access read:messages").json()
    assert "refresh_token" in first
    refresh = lambda token: tenant.post("/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": token, **WEB_APP})
    second = refresh(first["refresh_token"])
    assert second.status_code == 200
    rotated = second.json()["refresh_token"]
    assert rotated != first["refresh_token"]
    assert claims_of(second.json()["access_token"])["permissions"] == ["read:messages"]
    reused = refresh(first["refresh_token"])
    assert reused.status_code == 403 and reused.json()["error"] == "invalid_grant"
    assert refresh(rotated).status_code == 403, "reuse must revoke the rotated token too"


def refresh_with(tenant, token: str, client: dict, **extra: str):
    """A refresh token request."""
    return tenant.post("/oauth/token", data={"grant_type": "refresh_token", "refresh_token": token, **client,
                                                    **extra})


def test_another_client_presenting_a_refresh_token_does_not_cost_its_owner(tenant):
    token = password_grant(tenant, "alice", scope="openid offline_access read:messages").json()["refresh_token"]
    stolen = refresh_with(tenant, token, {"client_id": "swagger-ui"})
    assert stolen.status_code == 403 and stolen.json()["error"] == "invalid_grant"
    assert refresh_with(tenant, token, WEB_APP).status_code == 200


def test_a_refused_scope_does_not_use_the_refresh_token_up(tenant):
    token = password_grant(tenant, "alice", scope="openid offline_access read:messages").json()["refresh_token"]
    refused = refresh_with(tenant, token, WEB_APP, scope="openid admin:messages")
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_scope"
    again = refresh_with(tenant, token, WEB_APP, scope="openid offline_access")
    assert again.status_code == 200
    assert refresh_with(tenant, again.json()["refresh_token"], WEB_APP).status_code == 200


def test_offline_access_needs_a_client_allowed_refresh_tokens(tenant):
    response = tenant.post("/oauth/token", data={
        "grant_type": "client_credentials", "audience": API, "scope": "offline_access read:messages", **M2M})
    assert "refresh_token" not in response.json()


def site_token(tenant, headers: dict[str, str], password: str) -> int:
    """The password grant as the site sends it: in-process, through the transport its own calls use."""

    async def call() -> int:
        async with httpx.AsyncClient(transport=tenant.app.state.tenant_transport, base_url=SITE) as client:
            return (await client.post("/oauth/token", headers=headers, data={
                "grant_type": "password", "username": "bob@example.com", "password": password, **WEB_APP})).status_code

    return run_on_a_thread(call())


def test_only_the_sites_own_calls_may_name_its_users_address(tenant):
    for number in range(10):
        assert site_token(tenant, {"auth0-forwarded-for": "203.0.113.9"}, "wrong") == 403
    assert site_token(tenant, {"auth0-forwarded-for": "203.0.113.9"}, "bob-demo-1") == 429
    assert site_token(tenant, {"auth0-forwarded-for": "203.0.113.7"}, "bob-demo-1") == 200, "another user's address"


@pytest.mark.parametrize("header", ["auth0-forwarded-for", "playground-forwarded-browser"])
def test_a_loopback_caller_cannot_speak_for_an_end_user(tenant, header):
    # Any process on this machine, or a same-host proxy passing its client's headers through, connects from loopback.
    local_caller = TestClient(tenant.app, base_url=SITE, client=("127.0.0.1", 40000))
    named = [f"198.51.100.{number}" if header == "auth0-forwarded-for" else f"browser-{number:012d}"
             for number in range(11)]
    answers = [local_caller.post("/oauth/token", headers={header: name}, data={
        "grant_type": "password", "username": "bob@example.com", "password": password, **WEB_APP}).status_code
        for name, password in zip(named, ["wrong"] * 10 + ["bob-demo-1"])]
    assert answers == [403] * 10 + [429]


def test_a_loopback_caller_cannot_name_addresses_to_sign_up_from(tenant, monkeypatch):
    monkeypatch.setattr("tenant.endpoints.dbconnections.SIGNUPS_PER_ADDRESS", SlidingThrottle("signups", 3, 900))
    local_caller = TestClient(tenant.app, base_url=SITE, client=("127.0.0.1", 40000))
    answers = [local_caller.post("/dbconnections/signup", headers={"auth0-forwarded-for": f"198.51.100.{n}"},
                                 json={"client_id": "web-app", "connection": "Username-Password-Authentication",
                                       "email": f"named-{n}@example.com", "password": "Str0ng-enough-pass"}).status_code
               for n in range(4)]
    assert answers == [200] * 3 + [429]


def test_the_last_forwarded_hop_counts_not_the_first(tenant):
    for number in range(10):
        tenant.post("/oauth/token", headers={"x-forwarded-for": f"10.0.0.{number}, 203.0.113.5"},
                    data={"grant_type": "password", "username": "bob@example.com", "password": "wrong", **WEB_APP})
    blocked = tenant.post("/oauth/token", headers={"x-forwarded-for": "10.9.9.9, 203.0.113.5"},
                          data={"grant_type": "password", "username": "bob@example.com", "password": "bob-demo-1",
                                **WEB_APP})
    assert blocked.status_code == 429


def test_m2m_client_cannot_ask_for_scopes_it_was_not_granted(tenant):
    response = tenant.post("/oauth/token", data={
        "grant_type": "client_credentials", "audience": API, "scope": "read:messages admin:messages", **M2M})
    assert response.status_code == 403
    assert response.json() == {"error": "access_denied",
                               "error_description": "Client has not been granted scopes: admin:messages"}
