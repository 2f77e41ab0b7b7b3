"""Calls to the tenant's Authentication API: database sign-up and the password grant."""

from dataclasses import dataclass, field
from typing import Any

import httpx

from flow_inspector.records import EVENT_HOOKS
from settings import API_SCOPES, Settings

DATABASE_CONNECTION = "Username-Password-Authentication"
DEMO_LIFETIME_PARAMETER = "playground_demo_lifetime"
TENANT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class TenantUnreachable(Exception):
    """The tenant did not answer (connection refused, DNS failure, timeout)."""


@dataclass(frozen=True)
class TenantReply:
    """What the tenant answered: status, JSON body (empty when it was not JSON) and Retry-After."""

    status_code: int
    body: dict[str, Any] = field(default_factory=dict)
    retry_after: str | None = None


class AuthenticationApi:
    """The two Authentication API endpoints the sign-up/token API forwards to."""

    def __init__(self, settings: Settings, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings
        self.transport = transport

    async def signup(self, email: str, password: str, client_ip: str | None = None,
                     browser: str | None = None) -> TenantReply:
        """POST /dbconnections/signup: create a user in the database connection (per-address limits see the user)."""
        payload = {
            "client_id": self.settings.web_client_id,
            "email": email,
            "password": password,
            "connection": DATABASE_CONNECTION,
        }
        forwarded = {"auth0-forwarded-for": client_ip, "playground-forwarded-browser": browser}
        headers = {name: value for name, value in forwarded.items() if value}
        return await self.post("/dbconnections/signup", json=payload, headers=headers)

    async def password_grant(self, email: str, password: str, client_ip: str | None = None,
                             browser: str | None = None, demo_lifetime: int | None = None) -> TenantReply:
        """POST /oauth/token with grant_type=password and the API audience, so the access token is a JWT."""
        # `auth0-forwarded-for` names the end user's address, so the tenant's brute-force protection blocks that
        # address rather than this server's (Auth0 honours it when the client trusts the token endpoint IP header).
        # `playground-forwarded-browser` names their browser, which the built-in tenant counts failures for.
        form = {
            "grant_type": "password",
            "client_id": self.settings.web_client_id,
            "client_secret": self.settings.web_client_secret,
            "audience": self.settings.auth0_api_audience,
            "username": email,
            "password": password,
            "scope": f"openid profile email {API_SCOPES}",
        }
        if demo_lifetime is not None:
            # The built-in tenant's demo-only option (an access token that expires in seconds); Auth0 has none.
            form[DEMO_LIFETIME_PARAMETER] = str(demo_lifetime)
        forwarded = {"auth0-forwarded-for": client_ip, "playground-forwarded-browser": browser}
        headers = {name: value for name, value in forwarded.items() if value}
        return await self.post("/oauth/token", data=form, headers=headers)

    async def userinfo(self, access_token: str) -> TenantReply:
        """GET /userinfo: the profile of the user an access token (with the openid scope) was issued for."""
        return await self.call("GET", "/userinfo", headers={"Authorization": f"Bearer {access_token}"})

    async def post(self, path: str, **body: Any) -> TenantReply:
        """POST to the tenant and read its answer."""
        return await self.call("POST", path, **body)

    async def call(self, method: str, path: str, **options: Any) -> TenantReply:
        """Send one request to the tenant and read its answer."""
        url = f"{self.settings.tenant_base_url}{path}"
        try:
            async with httpx.AsyncClient(transport=self.transport, timeout=TENANT_TIMEOUT,
                                         event_hooks=EVENT_HOOKS) as client:
                response = await client.request(method, url, **options)
        except httpx.TransportError as error:
            raise TenantUnreachable(f"{type(error).__name__} on {method} {url}") from error
        return TenantReply(response.status_code, json_object(response), response.headers.get("retry-after"))


def json_object(response: httpx.Response) -> dict[str, Any]:
    """The response's JSON object, or {} when the body is something else."""
    try:
        body = response.json()
    except (ValueError, RecursionError):
        return {}
    return body if isinstance(body, dict) else {}
