"""Step 17: a role and a direct permission reach the access token's `permissions` as their union."""

import secrets

from auth0.management import ManagementClient

from tests.https_site import HttpsSite
from tests.test_tutorial.conftest import API_AUDIENCE
from tutorials.roles.permissions import give_role_and_permission, permission_sources, token_permissions


def test_a_role_and_a_direct_permission_both_reach_the_token(trust_sdk_site: HttpsSite) -> None:
    management = ManagementClient(domain=trust_sdk_site.domain, client_id="m2m", client_secret="m2m-secret")
    email, password = f"roles-{secrets.token_hex(4)}@example.com", "Roles-step-17!"
    user = management.users.create(connection="Username-Password-Authentication", email=email, password=password)
    tenant_url = f"https://{trust_sdk_site.domain}"
    assert token_permissions(tenant_url, email, password, API_AUDIENCE) == []
    give_role_and_permission(management, user.user_id, "rol_PlaygroundReader", API_AUDIENCE, "admin:messages")
    assert permission_sources(management, user.user_id) == {"read:messages": ["reader"],
                                                           "admin:messages": ["DIRECT"]}
    assert token_permissions(tenant_url, email, password, API_AUDIENCE) == ["read:messages", "admin:messages"]
    management.users.delete(user.user_id)
