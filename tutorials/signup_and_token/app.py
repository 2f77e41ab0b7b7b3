"""Sign-up and token endpoints over Auth0's Authentication API, with httpx and pydantic-settings.

The password grant hands the user's password to this server: use it only in a first-party app you fully trust,
and only where a redirect to the login page is impossible.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import httpx
import uvicorn
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, EmailStr, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

CONNECTION = "Username-Password-Authentication"


class Settings(BaseSettings):
    """Read from the environment or `.env`; the defaults are the playground's built-in tenant."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    auth0_token_issuer: str = "http://localhost:8000"  # Auth0: https://my-team.eu.auth0.com
    auth0_token_audience: str = "https://playground/api"
    auth0_token_scope: str = "read:messages"
    auth0_client_id: str = "web-app"
    auth0_client_secret: SecretStr = SecretStr("web-app-secret")
    app_host: str = "localhost"
    app_port: int = 8080

    @property
    def tenant_url(self) -> str:
        """The issuer without its trailing slash, ready for paths."""
        return self.auth0_token_issuer.rstrip("/")


settings = Settings()


class Credentials(BaseModel):
    """What both endpoints take."""

    email: EmailStr
    password: SecretStr


class TenantUnreachable(Exception):
    """The tenant did not answer."""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """One HTTP client for the app's lifetime, with a timeout so a slow tenant cannot hang a request."""
    async with httpx.AsyncClient(base_url=settings.tenant_url, timeout=10) as client:
        app.state.tenant = client
        yield


def tenant_client(request: Request) -> httpx.AsyncClient:
    """The app's client for the tenant's Authentication API."""
    return request.app.state.tenant


Tenant = Annotated[httpx.AsyncClient, Depends(tenant_client)]
app = FastAPI(title="Sign-up and token", lifespan=lifespan)


async def call_tenant(tenant: httpx.AsyncClient, path: str, **payload: dict[str, str]) -> httpx.Response:
    """POST a JSON (`json=`) or form (`data=`) body to the tenant; a network failure is TenantUnreachable."""
    try:
        return await tenant.post(path, **payload)
    except httpx.TransportError as error:
        raise TenantUnreachable(path) from error


@app.exception_handler(TenantUnreachable)
async def tenant_unreachable(request: Request, error: TenantUnreachable) -> JSONResponse:
    """503: nothing is wrong with the request; the tenant is down, or not where AUTH0_TOKEN_ISSUER says."""
    description = f"No answer from the tenant at {settings.tenant_url}: start it, or set AUTH0_TOKEN_ISSUER."
    return JSONResponse({"error": "Service Unavailable", "description": description}, status_code=503)


@app.post("/signup", status_code=201)
async def signup(credentials: Credentials, tenant: Tenant) -> JSONResponse:
    """Create the user in the tenant's database connection."""
    reply = await call_tenant(tenant, "/dbconnections/signup", json={
        "client_id": settings.auth0_client_id,
        "email": credentials.email,
        "password": credentials.password.get_secret_value(),
        "connection": CONNECTION,
    })
    if reply.status_code == 200:
        return JSONResponse({"message": "User Created"}, status_code=201)
    if reply.status_code == 400:  # the email is taken, or the password too weak for the connection's policy
        return JSONResponse({"error": "Bad Request", "description": reply.json().get("description")}, status_code=400)
    return JSONResponse({"error": "Bad Gateway"}, status_code=502)


@app.post("/token")
async def token(credentials: Credentials, tenant: Tenant) -> JSONResponse:
    """Exchange an email and password for an access token to the API (the password grant)."""
    reply = await call_tenant(tenant, "/oauth/token", data={
        "grant_type": "password",
        "client_id": settings.auth0_client_id,
        "client_secret": settings.auth0_client_secret.get_secret_value(),
        "audience": settings.auth0_token_audience,
        "scope": settings.auth0_token_scope,
        "username": credentials.email,
        "password": credentials.password.get_secret_value(),
    })
    if reply.status_code == 200:
        return JSONResponse({"data": reply.json()["access_token"]})
    if reply.status_code == 403 and reply.json().get("error") == "invalid_grant":  # wrong email or password
        return JSONResponse({"error": "Unauthorized"}, status_code=401)
    return JSONResponse({"error": "Bad Gateway"}, status_code=502)


if __name__ == "__main__":
    uvicorn.run(app, host=settings.app_host, port=settings.app_port)
