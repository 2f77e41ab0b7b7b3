"""Roles versus direct permissions: give a user both, see where each permission comes from, then see the union in
the access token's `permissions` claim."""

import base64
import json
import os

import httpx
from auth0.management import ManagementClient


def give_role_and_permission(management: ManagementClient, user_id: str, role_id: str, api: str,
                             permission: str) -> None:
    """A role (its permissions come with it) and one permission given directly."""
    management.users.roles.assign(user_id, roles=[role_id])
    management.users.permissions.create(user_id, permissions=[
        {"resource_server_identifier": api, "permission_name": permission}])


def permission_sources(management: ManagementClient, user_id: str) -> dict[str, list[str]]:
    """Each permission the user holds, with where it comes from: DIRECT, or the role that gives it."""
    return {
        permission.permission_name: [source.get("source_name") or source["source_type"]
                                     for source in permission.sources or []]
        for permission in management.users.permissions.list(user_id).items
    }


def token_permissions(tenant_url: str, email: str, password: str, api: str) -> list[str]:
    """The `permissions` claim of an access token for the user (password grant: a trusted first-party backend)."""
    answer = httpx.post(f"{tenant_url}/oauth/token", timeout=10, data={
        "grant_type": "password", "username": email, "password": password, "audience": api,
        "scope": "openid read:messages admin:messages", "client_id": os.environ.get("WEB_CLIENT_ID", "web-app"),
        "client_secret": os.environ.get("WEB_CLIENT_SECRET", "web-app-secret")})
    answer.raise_for_status()
    return claims_of(answer.json()["access_token"])["permissions"]


def claims_of(token: str) -> dict:
    """The claims of a JWT, unverified: enough to look at them here; the API that receives it verifies it (step 6)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
