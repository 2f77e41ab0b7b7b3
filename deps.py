"""The routers' dependencies as `Annotated` aliases, so that handlers read like prose."""

from typing import Annotated

from fastapi import Depends, Request

from addresses import is_ip_address
from auth0_client import StarletteOAuth2App  # via auth0_client, which silences authlib's httpx notice first
from authentication_api import AuthenticationApi


def get_auth0_client(request: Request) -> StarletteOAuth2App:
    """The OAuth client registered by the app factory."""
    return request.app.state.auth0_client


def get_tenant_api(request: Request) -> AuthenticationApi:
    """The Authentication API of the tenant the app was built for."""
    return AuthenticationApi(request.app.state.settings, request.app.state.tenant_transport)


def get_client_address(request: Request) -> str | None:
    """The visitor's address, for the tenant's brute-force lockout: the last X-Forwarded-For entry, else the peer."""
    # The platform's router appends the last entry; the ones before it are whatever the client sent, and uvicorn
    # trusting every proxy (--forwarded-allow-ips='*') reports the first of them as request.client.
    hops = [hop.strip() for value in request.headers.getlist("x-forwarded-for") for hop in value.split(",")]
    if hops and is_ip_address(hops[-1]):
        return hops[-1]
    return request.client.host if request.client else None


Auth0Client = Annotated[StarletteOAuth2App, Depends(get_auth0_client)]
TenantApi = Annotated[AuthenticationApi, Depends(get_tenant_api)]
ClientAddress = Annotated[str | None, Depends(get_client_address)]
