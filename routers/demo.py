"""Demo-only endpoints of the built-in tenant's playground: included only when no Auth0 tenant is configured."""

from typing import Any

from fastapi import APIRouter, Request

from routers.accounts import AccessToken, Credentials, error_bodies, password_token
from routers.deps import ClientAddress, ClientBrowser, Flows, TenantApi

router = APIRouter(prefix="/demo", tags=["demo (built-in tenant only)"])
SHORT_LIFETIME_SECONDS = 5
LIMITED_PATHS = frozenset({"/demo/short-lived-token"})


@router.post("/short-lived-token", response_model=AccessToken, responses=error_bodies(401, 403, 413, 429, 502, 503))
async def short_lived_token(request: Request, credentials: Credentials, tenant: TenantApi, client_ip: ClientAddress,
                            browser: ClientBrowser, flows: Flows) -> Any:
    """Like POST /auth/token, but the access token expires 5 seconds after it is issued: a demo of expiry, not
    something Auth0 offers. The built-in tenant accepts the option from this site's own server only."""
    return await password_token(request, credentials, tenant, client_ip, browser, flows, SHORT_LIFETIME_SECONDS)
