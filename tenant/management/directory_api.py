"""The Management API's read-only view of the tenant's setup: clients (never a secret), APIs, client grants."""

from typing import Annotated

from fastapi import APIRouter, Query

from tenant.directory import Api, Client
from tenant.management.caller import Caller, CurrentTenant, needs
from tenant.management.errors import CLIENT_NOT_FOUND, RESOURCE_SERVER_NOT_FOUND, ManagementError
from tenant.management.pages import Checkpointed, Page
from tenant.services import Tenant
from tenant.tokens import ACCESS_TOKEN_LIFETIME

router = APIRouter(tags=["setup"])


def visible_clients(tenant: Tenant, caller: Caller) -> list[Client]:
    """The tenant's clients, and the caller's own application if it is a visitor's."""
    own = tenant.apps.client(caller.client_id)
    return list(tenant.directory.clients.values()) + ([own] if own else [])


def client_view(client: Client) -> dict:
    """Auth0's client object, without its secret."""
    return {
        "client_id": client.client_id, "name": client.name, "app_type": client.app_type,
        "is_first_party": True, "grant_types": list(client.grant_types), "callbacks": list(client.callbacks),
        "allowed_logout_urls": list(client.logout_urls), "web_origins": list(client.web_origins),
        "token_endpoint_auth_method": "none" if client.is_public else "client_secret_post",
    }


def resource_server_view(api: Api, system: bool) -> dict:
    """Auth0's resource server object."""
    return {
        "id": api.identifier if system else "playground-api", "name": api.name, "identifier": api.identifier,
        "is_system": system, "scopes": [{"value": value, "description": text} for value, text in api.permissions.items()],
        "signing_alg": "RS256", "token_lifetime": ACCESS_TOKEN_LIFETIME, "allow_offline_access": not system,
        "enforce_policies": not system, "token_dialect": "access_token" if system else "access_token_authz",
    }


def resource_servers(tenant: Tenant) -> list[dict]:
    """The tenant's API and its Management API."""
    return [resource_server_view(tenant.directory.api, False),
            resource_server_view(tenant.directory.management_api, True)]


@router.get("/clients")
def list_clients(tenant: CurrentTenant, page: Page, caller: Annotated[Caller, needs("read:clients")]) -> object:
    """GET /api/v2/clients."""
    return page.answer("clients", [client_view(client) for client in visible_clients(tenant, caller)])


@router.get("/clients/{client_id}")
def get_client(client_id: str, tenant: CurrentTenant, caller: Annotated[Caller, needs("read:clients")]) -> dict:
    """GET /api/v2/clients/{id}."""
    for client in visible_clients(tenant, caller):
        if client.client_id == client_id:
            return client_view(client)
    raise ManagementError(404, CLIENT_NOT_FOUND, "inexistent_client")


@router.get("/resource-servers")
def list_resource_servers(tenant: CurrentTenant, page: Page,
                          caller: Annotated[Caller, needs("read:resource_servers")]) -> object:
    """GET /api/v2/resource-servers."""
    return page.answer("resource_servers", resource_servers(tenant))


@router.get("/resource-servers/{server_id:path}")
def get_resource_server(server_id: str, tenant: CurrentTenant,
                        caller: Annotated[Caller, needs("read:resource_servers")]) -> dict:
    """GET /api/v2/resource-servers/{id or identifier}."""
    for server in resource_servers(tenant):
        if server_id in (server["id"], server["identifier"]):
            return server
    raise ManagementError(404, RESOURCE_SERVER_NOT_FOUND, "inexistent_resource_server")


@router.get("/client-grants")
def list_client_grants(tenant: CurrentTenant, checkpoint: Checkpointed,
                       caller: Annotated[Caller, needs("read:client_grants")],
                       audience: Annotated[str | None, Query(max_length=320)] = None,
                       client_id: Annotated[str | None, Query(max_length=64)] = None,
                       include_totals: bool = False) -> object:
    """GET /api/v2/client-grants: which client may get tokens for which API, with which scopes."""
    grants = [{"id": f"cgr_{client.client_id}_{index}", "client_id": client.client_id, "audience": identifier,
               "scope": list(scopes)}
              for client in visible_clients(tenant, caller)
              for index, (identifier, scopes) in enumerate(client.api_grants.items())
              if audience in (None, identifier) and client_id in (None, client.client_id)]
    return checkpoint.answer("client_grants", grants)
