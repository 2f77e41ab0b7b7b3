"""Security headers on every answer of the site: CSP, no framing, no sniffing, a tight referrer, HSTS over https."""

from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from settings import Settings

HSTS = "max-age=31536000"


def content_security_policy(settings: Settings) -> str:
    """Scripts only from the site's own files; a real tenant's origin may be called (Swagger's token exchange)."""
    # With its trailing slash, the source covers every path under the tenant (a bare path would match only itself).
    tenant = "" if settings.uses_builtin_tenant else f" {settings.issuer}"
    # A real tenant's profile pictures live elsewhere: any https host, and the tenant itself (http on loopback).
    pictures = "" if settings.uses_builtin_tenant else f" https:{tenant}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src 'self' data:{pictures}; connect-src 'self'{tenant}; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )


def site_headers(settings: Settings) -> dict[str, str]:
    """The headers of the site's own pages and API."""
    headers = {
        "Content-Security-Policy": content_security_policy(settings),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    if settings.site_origin.startswith("https://"):
        headers["Strict-Transport-Security"] = HSTS
    return headers


class SecurityHeaders:
    """Adds the site's security headers where a response has not set its own (the tenant's pages set theirs)."""

    def __init__(self, app: ASGIApp, settings: Settings, tenant_serves: Callable[[str], bool] | None = None) -> None:
        self.app = app
        self.tenant_serves = tenant_serves
        self.headers = site_headers(settings)
        # The tenant's pages send their own policy, and its web_message answers are framed by the app that asked.
        self.tenant_headers = {name: value for name, value in self.headers.items()
                               if name in ("X-Content-Type-Options", "Strict-Transport-Security")}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        in_tenant = self.tenant_serves is not None and self.tenant_serves(scope["path"])
        added = self.tenant_headers if in_tenant else self.headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in added.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
