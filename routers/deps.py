"""The routers' dependencies as `Annotated` aliases, so that handlers read like prose."""

from typing import Annotated

from fastapi import Depends, Request

from flow_inspector.store import FlowStore
from middleware.browser_id import BROWSER_COOKIE, browser_id
from server.addresses import scope_client_address
from tenant_client.authentication_api import AuthenticationApi
from tenant_client.oauth import StarletteOAuth2App  # from there: it silences authlib's httpx notice first
from tokens.verification import Auth0


# Each is a lookup that never blocks, so each is async: a plain `def` dependency costs a trip to a worker thread.
async def get_auth0_client(request: Request) -> StarletteOAuth2App:
    """The OAuth client registered by the app factory."""
    return request.app.state.auth0_client


async def get_tenant_api(request: Request) -> AuthenticationApi:
    """The Authentication API of the tenant the app was built for."""
    return AuthenticationApi(request.app.state.settings, request.app.state.tenant_transport)


async def get_token_verifier(request: Request) -> Auth0:
    """The checks the site's API runs on access tokens."""
    return request.app.state.token_verifier


async def get_flow_store(request: Request) -> FlowStore:
    """The flow inspector's records of each visitor's exchanges."""
    return request.app.state.flows


async def get_client_address(request: Request) -> str | None:
    """The visitor's address, for the tenant's brute-force lockout (see server.addresses.client_address)."""
    return scope_client_address(request.scope, request.app.state.settings.trusted_proxy_hops)


async def get_client_browser(request: Request) -> str | None:
    """The visitor's browser id (set by BrowserIdCookie), so that the tenant's lockout counts per browser."""
    return browser_id(request.cookies.get(BROWSER_COOKIE))


Auth0Client = Annotated[StarletteOAuth2App, Depends(get_auth0_client)]
TenantApi = Annotated[AuthenticationApi, Depends(get_tenant_api)]
ClientAddress = Annotated[str | None, Depends(get_client_address)]
ClientBrowser = Annotated[str | None, Depends(get_client_browser)]
TokenVerifier = Annotated[Auth0, Depends(get_token_verifier)]
Flows = Annotated[FlowStore, Depends(get_flow_store)]
