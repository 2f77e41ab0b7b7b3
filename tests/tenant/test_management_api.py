"""The Management API's answers as Auth0 gives them: tokens, scopes, error bodies, bad input, metadata rules, RBAC in
the access token, blocked users and login counts (on a loopback site, where the demo M2M client reaches everything)."""

import pytest

from tests.conftest import claims_of
from tests.tenant.conftest import API, LOOPBACK_SITE, WEB_APP
from tests.tenant.management import create_user, management_token

MANAGEMENT = f"{LOOPBACK_SITE}/api/v2/"


def password_login(client, email: str, password: str):
    """The password grant for the web app, asking for every permission of the API."""
    return client.post("/oauth/token", data={"grant_type": "password", "username": email, "password": password,
                                             "audience": API, "scope": "openid read:messages admin:messages",
                                             **WEB_APP})


def test_without_a_token_or_with_a_token_for_another_api_it_is_401_in_auth0s_body(loopback_tenant) -> None:
    missing = loopback_tenant.get("/api/v2/users")
    assert (missing.status_code, missing.json()) == (401, {"statusCode": 401, "error": "Unauthorized",
                                                           "message": "Missing authentication"})
    other = loopback_tenant.post("/oauth/token", data={"grant_type": "client_credentials", "audience": API,
                                                        "client_id": "m2m", "client_secret": "m2m-secret"})
    wrong = loopback_tenant.get("/api/v2/users", headers={"Authorization": f"Bearer {other.json()['access_token']}"})
    assert wrong.status_code == 401 and wrong.json()["message"] == f"Bad audience: {API}"
    forged = loopback_tenant.get("/api/v2/users", headers={"Authorization": "Bearer not.a.token"})
    assert forged.status_code == 401 and forged.json()["message"] == "Invalid token"


def test_a_token_without_the_scope_is_403_insufficient_scope(loopback_tenant) -> None:
    headers = management_token(loopback_tenant, scope="read:roles")
    answer = loopback_tenant.get("/api/v2/users", headers=headers)
    assert (answer.status_code, answer.json()) == (403, {
        "statusCode": 403, "error": "Forbidden", "message": "Insufficient scope, expected any of: read:users",
        "errorCode": "insufficient_scope"})


def test_a_client_without_a_grant_for_the_management_api_gets_no_token(loopback_tenant) -> None:
    refused = loopback_tenant.post("/oauth/token", data={"grant_type": "client_credentials", "audience": MANAGEMENT,
                                                          **WEB_APP})
    assert refused.status_code == 403


@pytest.mark.parametrize(("method", "path", "body"), [
    ("get", "/api/v2/users?per_page=1000", None),
    ("get", "/api/v2/users?page=-1", None),
    ("get", "/api/v2/users?sort=password_hash:1", None),
    ("get", '/api/v2/users?q=password_hash:"x"', None),
    ("post", "/api/v2/users", {"email": "x@example.com"}),
    ("post", "/api/v2/users", {"connection": "Username-Password-Authentication", "email": "not-an-email",
                               "password": "Good-pass-1!"}),
    ("post", "/api/v2/users", {"connection": "Username-Password-Authentication", "email": "weak@example.com",
                               "password": "weak"}),
    ("post", "/api/v2/users", {"connection": "Other", "email": "o@example.com", "password": "Good-pass-1!"}),
    ("post", "/api/v2/users", {"connection": "Username-Password-Authentication", "email": "m@example.com",
                               "password": "Good-pass-1!", "app_metadata": {"a.b": 1}}),
    ("post", "/api/v2/users", {"connection": "Username-Password-Authentication", "email": "big@example.com",
                               "password": "Good-pass-1!", "user_metadata": {"x": "y" * 20000}}),
    ("post", "/api/v2/users", {"connection": "Username-Password-Authentication", "email": "e@example.com",
                               "password": "Good-pass-1!", "unknown": 1}),
    ("post", "/api/v2/roles", {"name": ""}),
    ("post", "/api/v2/roles", {"name": "x" * 51}),
    ("post", "/api/v2/users/auth0|ff8d9819fc0e12bf0d24892e/roles", {"roles": []}),
    ("post", "/api/v2/roles/rol_PlaygroundReader/permissions",
     {"permissions": [{"resource_server_identifier": API, "permission_name": "fly"}]}),
])
def test_bad_input_is_a_400_in_auth0s_body(loopback_tenant, method: str, path: str, body: dict | None) -> None:
    headers = management_token(loopback_tenant)
    answer = loopback_tenant.request(method.upper(), path, headers=headers, json=body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["statusCode"] == 400 and answer.json()["error"] == "Bad Request"


def test_a_body_that_is_not_json_is_a_400(loopback_tenant) -> None:
    answer = loopback_tenant.post("/api/v2/users", headers={**management_token(loopback_tenant),
                                                            "Content-Type": "application/json"}, content=b"{")
    assert answer.status_code == 400 and answer.json()["statusCode"] == 400


def test_unknown_users_and_roles_are_404_in_auth0s_body(loopback_tenant) -> None:
    headers = management_token(loopback_tenant)
    user = loopback_tenant.get("/api/v2/users/auth0|000000000000000000000000", headers=headers)
    assert user.json() == {"statusCode": 404, "error": "Not Found", "message": "The user does not exist.",
                           "errorCode": "inexistent_user"}
    role = loopback_tenant.get("/api/v2/roles/rol_nothing", headers=headers)
    assert role.status_code == 404 and role.json()["message"] == "The role does not exist."


def test_metadata_patch_merges_top_level_keys_null_removes_and_an_empty_object_clears(loopback_tenant) -> None:
    headers = management_token(loopback_tenant)
    user = create_user(loopback_tenant, headers, "meta@example.com").json()["user_id"]
    path = f"/api/v2/users/{user}"
    loopback_tenant.patch(path, headers=headers, json={"user_metadata": {"a": {"x": 1, "y": 2}, "b": 1}})
    merged = loopback_tenant.patch(path, headers=headers, json={"user_metadata": {"a": {"x": 3}, "b": None, "c": 2}})
    assert merged.json()["user_metadata"] == {"a": {"x": 3}, "c": 2}
    assert loopback_tenant.patch(path, headers=headers, json={"user_metadata": {}}).json()["user_metadata"] == {}


def test_metadata_alone_needs_only_update_users_app_metadata(loopback_tenant) -> None:
    headers = management_token(loopback_tenant)
    user = create_user(loopback_tenant, headers, "scoped@example.com").json()["user_id"]
    narrow = management_token(loopback_tenant, scope="update:users_app_metadata")
    path = f"/api/v2/users/{user}"
    assert loopback_tenant.patch(path, headers=narrow, json={"app_metadata": {"plan": "pro"}}).status_code == 200
    assert loopback_tenant.patch(path, headers=narrow, json={"name": "X"}).status_code == 403


def test_metadata_stays_out_of_tokens_and_userinfo(loopback_tenant) -> None:
    headers = management_token(loopback_tenant)
    alice = loopback_tenant.get("/api/v2/users-by-email", headers=headers,
                                params={"email": "alice@example.com"}).json()[0]["user_id"]
    loopback_tenant.patch(f"/api/v2/users/{alice}", headers=headers, json={"app_metadata": {"plan": "gold"}})
    tokens = password_login(loopback_tenant, "alice@example.com", "alice-demo-1").json()
    for token in (tokens["access_token"], tokens["id_token"]):
        assert "gold" not in str(claims_of(token))
    profile = loopback_tenant.get("/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert "gold" not in profile.text


def test_the_access_tokens_permissions_are_the_union_of_roles_and_direct_ones(loopback_tenant) -> None:
    headers = management_token(loopback_tenant)
    user = create_user(loopback_tenant, headers, "rbac@example.com").json()["user_id"]
    assert claims_of(password_login(loopback_tenant, "rbac@example.com", "Made-by-app-1!").json()[
        "access_token"])["permissions"] == []
    loopback_tenant.post(f"/api/v2/users/{user}/roles", headers=headers, json={"roles": ["rol_PlaygroundReader"]})
    loopback_tenant.post(f"/api/v2/users/{user}/permissions", headers=headers, json={"permissions": [
        {"resource_server_identifier": API, "permission_name": "admin:messages"}]})
    claims = claims_of(password_login(loopback_tenant, "rbac@example.com", "Made-by-app-1!").json()["access_token"])
    assert claims["permissions"] == ["read:messages", "admin:messages"]
    assert claims["scope"].split() == ["openid", "read:messages", "admin:messages"]


def test_admin_keeps_its_tokens_through_its_role(loopback_tenant) -> None:
    claims = claims_of(password_login(loopback_tenant, "admin@example.com", "admin-demo-1").json()["access_token"])
    assert claims["permissions"] == ["read:messages", "admin:messages", "read:room"]
    headers = management_token(loopback_tenant)
    admin = loopback_tenant.get("/api/v2/users-by-email", headers=headers,
                                params={"email": "admin@example.com"}).json()[0]["user_id"]
    assert [role["name"] for role in loopback_tenant.get(f"/api/v2/users/{admin}/roles", headers=headers).json()] \
        == ["admin"]


def test_a_blocked_user_cannot_log_in_and_logins_are_counted(loopback_tenant) -> None:
    headers = management_token(loopback_tenant)
    user = create_user(loopback_tenant, headers, "counted@example.com").json()["user_id"]
    assert password_login(loopback_tenant, "counted@example.com", "Made-by-app-1!").status_code == 200
    seen = loopback_tenant.get(f"/api/v2/users/{user}", headers=headers).json()
    assert seen["logins_count"] == 1 and seen["last_login"].endswith("Z")
    loopback_tenant.patch(f"/api/v2/users/{user}", headers=headers, json={"blocked": True})
    refused = password_login(loopback_tenant, "counted@example.com", "Made-by-app-1!")
    assert (refused.status_code, refused.json()) == (401, {"error": "unauthorized",
                                                           "error_description": "user is blocked"})
    loopback_tenant.patch(f"/api/v2/users/{user}", headers=headers, json={"blocked": False})
    assert password_login(loopback_tenant, "counted@example.com", "Made-by-app-1!").status_code == 200
    assert loopback_tenant.get(f"/api/v2/users/{user}", headers=headers).json()["logins_count"] == 2
