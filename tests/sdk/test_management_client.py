"""auth0-python's ManagementClient, unmodified, against the tenant's Management API over https (a loopback site, where
the demo M2M client has the whole API): every call the tutorial and Auth0 developers make."""

import secrets
from collections.abc import Iterator

import pytest
from auth0.authentication import GetToken
from auth0.management import ManagementClient
from auth0.management.core.api_error import ApiError

from tests.api.tokens import API_AUDIENCE
from tests.conftest import claims_of
from tests.https_site import HttpsSite

CONNECTION = "Username-Password-Authentication"
READER = "rol_PlaygroundReader"
ADMIN = "rol_PlaygroundAdmin0"


@pytest.fixture
def management(trust_sdk_site: HttpsSite) -> ManagementClient:
    """The SDK with the demo M2M client's credentials: it gets its own Management API token."""
    return ManagementClient(domain=trust_sdk_site.domain, client_id="m2m", client_secret="m2m-secret")


@pytest.fixture
def new_user(management: ManagementClient) -> Iterator[str]:
    """A user made through the API for one test, deleted after it."""
    user = management.users.create(connection=CONNECTION, email=f"sdk-{secrets.token_hex(4)}@example.com",
                                    password="Sdk-user-1!", app_metadata={"plan": "free"})
    yield user.user_id
    try:
        management.users.delete(user.user_id)
    except ApiError:
        pass  # the test deleted it


def admin_id(management: ManagementClient) -> str:
    """The demo admin's user id, found by email."""
    return management.users.list_users_by_email(email="admin@example.com")[0].user_id


def test_the_management_token_is_for_the_api_v2_audience_with_auth0s_scopes(trust_sdk_site: HttpsSite) -> None:
    token = GetToken(trust_sdk_site.domain, "m2m", client_secret="m2m-secret").client_credentials(
        f"https://{trust_sdk_site.domain}/api/v2/")
    claims = claims_of(token["access_token"])
    assert claims["aud"] == f"https://{trust_sdk_site.domain}/api/v2/"
    assert {"read:users", "update:users", "read:roles", "create:role_members"} <= set(claims["scope"].split())
    assert "permissions" not in claims and claims["gty"] == "client-credentials"


def test_list_users_with_q_sort_and_totals(management: ManagementClient) -> None:
    page = management.users.list(q='email:"alice@example.com"', include_totals=True, search_engine="v3")
    assert [user.email for user in page.items] == ["alice@example.com"]
    assert page.response.total == 1
    by_id = management.users.list(q=f'user_id:"{page.items[0].user_id}"')
    assert [user.email for user in by_id.items] == ["alice@example.com"]
    sorted_page = management.users.list(sort="email:1", per_page=2, page=0, q="email:a*")
    emails = [user.email for user in sorted_page.items]
    assert emails == sorted(emails) and len(emails) == 2


def test_get_a_user_and_users_by_email(management: ManagementClient) -> None:
    found = management.users.list_users_by_email(email="ALICE@example.com")
    user = management.users.get(found[0].user_id)
    assert (user.email, user.identities[0].connection) == ("alice@example.com", CONNECTION)
    assert management.users.list_users_by_email(email="nobody@example.com") == []


def test_create_update_metadata_block_and_delete(management: ManagementClient, new_user: str) -> None:
    changed = management.users.update(new_user, app_metadata={"plan": "pro", "team": "blue"},
                                      user_metadata={"theme": "dark"})
    assert changed.app_metadata == {"plan": "pro", "team": "blue"} and changed.user_metadata == {"theme": "dark"}
    merged = management.users.update(new_user, app_metadata={"team": None})
    assert merged.app_metadata == {"plan": "pro"} and merged.user_metadata == {"theme": "dark"}
    blocked = management.users.update(new_user, blocked=True, name="Renamed", password="Another-pass-2!")
    assert (blocked.blocked, blocked.name) == (True, "Renamed")
    management.users.delete(new_user)
    with pytest.raises(ApiError) as missing:
        management.users.get(new_user)
    assert missing.value.status_code == 404


def test_create_an_existing_user_is_409(management: ManagementClient) -> None:
    with pytest.raises(ApiError) as refused:
        management.users.create(connection=CONNECTION, email="alice@example.com", password="Alice-demo-9!")
    assert refused.value.status_code == 409
    assert refused.value.body == {"statusCode": 409, "error": "Conflict", "message": "The user already exists.",
                                  "errorCode": "auth0_idp_error"}


def test_a_users_roles_list_assign_remove(management: ManagementClient, new_user: str) -> None:
    assert [role.name for role in management.users.roles.list(admin_id(management)).items] == ["admin"]
    management.users.roles.assign(new_user, roles=[READER])
    assert [role.name for role in management.users.roles.list(new_user).items] == ["reader"]
    management.users.roles.delete(new_user, roles=[READER])
    assert list(management.users.roles.list(new_user).items) == []


def test_a_users_permissions_list_assign_remove(management: ManagementClient, new_user: str) -> None:
    management.users.permissions.create(new_user, permissions=[
        {"resource_server_identifier": API_AUDIENCE, "permission_name": "admin:messages"}])
    management.users.roles.assign(new_user, roles=[READER])
    listed = {p.permission_name: [source["source_type"] for source in p.sources] for p in
              management.users.permissions.list(new_user).items}
    assert listed == {"read:messages": ["ROLE"], "admin:messages": ["DIRECT"]}
    management.users.permissions.delete(new_user, permissions=[
        {"resource_server_identifier": API_AUDIENCE, "permission_name": "admin:messages"}])
    assert [p.permission_name for p in management.users.permissions.list(new_user).items] == ["read:messages"]


def test_roles_crud_permissions_and_users(management: ManagementClient, new_user: str) -> None:
    role = management.roles.create(name=f"editor-{secrets.token_hex(3)}", description="Edits")
    assert management.roles.get(role.id).name == role.name
    assert management.roles.update(role.id, description="Edits messages").description == "Edits messages"
    assert role.name in [listed.name for listed in management.roles.list(name_filter="editor").items]
    management.roles.permissions.add(role.id, permissions=[
        {"resource_server_identifier": API_AUDIENCE, "permission_name": "read:messages"}])
    assert [p.permission_name for p in management.roles.permissions.list(role.id).items] == ["read:messages"]
    management.roles.users.assign(role.id, users=[new_user])
    assert [user.user_id for user in management.roles.users.list(role.id).items] == [new_user]
    management.roles.permissions.delete(role.id, permissions=[
        {"resource_server_identifier": API_AUDIENCE, "permission_name": "read:messages"}])
    assert list(management.roles.permissions.list(role.id).items) == []
    management.roles.delete(role.id)
    with pytest.raises(ApiError) as missing:
        management.roles.get(role.id)
    assert missing.value.status_code == 404


def test_clients_resource_servers_and_client_grants_never_show_a_secret(trust_sdk_site: HttpsSite,
                                                                        management: ManagementClient) -> None:
    clients = list(management.clients.list().items)
    assert {"m2m", "web-app", "swagger-ui", "cli"} <= {client.client_id for client in clients}
    assert all(client.client_secret is None for client in clients)
    assert management.clients.get("web-app").client_secret is None
    identifiers = [server.identifier for server in management.resource_servers.list().items]
    assert identifiers == [API_AUDIENCE, f"https://{trust_sdk_site.domain}/api/v2/"]
    assert management.resource_servers.get("playground-api").identifier == API_AUDIENCE
    grants = list(management.client_grants.list(client_id="m2m").items)
    assert {grant.audience for grant in grants} == {API_AUDIENCE, f"https://{trust_sdk_site.domain}/api/v2/"}
