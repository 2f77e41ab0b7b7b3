"""Keep browsers on one origin, so the session cookie set at login is there at the callback."""

import logging
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from settings import PLATFORM_ORIGIN_VARIABLES, Settings, is_loopback_host

logger = logging.getLogger(__name__)

DEFAULT_PORTS = (":80", ":443")


def comparable_host(netloc: str) -> str:
    """Host and port as browsers send them: lower case, without a default port."""
    netloc = netloc.lower()
    return netloc.removesuffix(DEFAULT_PORTS[0]).removesuffix(DEFAULT_PORTS[1])


def is_page_request(scope: Scope) -> bool:
    """A browser navigation: GET or HEAD that accepts HTML."""
    if scope["method"] not in ("GET", "HEAD"):
        return False
    return "text/html" in Headers(scope=scope).get("accept", "")


def path_and_query(scope: Scope) -> str:
    """The request target exactly as the browser sent it (still percent-encoded)."""
    path = scope.get("raw_path") or scope["path"].encode()
    query = scope.get("query_string", b"")
    return path.decode("latin-1") + (f"?{query.decode('latin-1')}" if query else "")


class CanonicalOriginMiddleware:
    """Redirect page requests that arrive on another host to the same path on the canonical origin."""
    # Only the host is compared, not the scheme: a router that terminates TLS but whose forwarded headers are not
    # trusted would otherwise redirect https to https forever. `assumed` marks an origin nobody configured (the
    # `http://localhost:$PORT` fallback); visitors on a public host are then not sent to a localhost they cannot
    # reach.

    def __init__(self, app: ASGIApp, origin: str, assumed: bool = False) -> None:
        self.app = app
        self.origin = origin.rstrip("/")
        self.host = comparable_host(urlsplit(self.origin).netloc)
        self.assumed = assumed
        self.warned = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = comparable_host(Headers(scope=scope).get("host", ""))
        if is_page_request(scope) and host and host != self.host and self.should_redirect(host):
            await RedirectResponse(self.origin + path_and_query(scope), status_code=307)(scope, receive, send)
            return
        await self.app(scope, receive, self.with_canonical_redirects(send, host))

    def with_canonical_redirects(self, send: Send, host: str) -> Send:
        """`send`, with a redirect the framework built from the Host header (a trailing slash) sent to our origin."""
        if not host or not self.should_redirect(host):
            return send

        async def send_canonical(message: Message) -> None:
            if message["type"] == "http.response.start" and 300 <= message["status"] < 400:
                headers = MutableHeaders(scope=message)
                location = urlsplit(headers.get("location", ""))
                if location.scheme in ("http", "https") and comparable_host(location.netloc) == host:
                    headers["location"] = self.origin + location._replace(scheme="", netloc="").geturl()
            await send(message)

        return send_canonical

    def should_redirect(self, host: str) -> bool:
        """False when the origin is only assumed and the visitor is on a public host."""
        if not self.assumed or is_loopback_host(urlsplit(f"//{host}").hostname or ""):
            return True
        if not self.warned:
            self.warned = True
            logger.warning("Visitors reach this site as %s but PUBLIC_URL is not set: web login will not work", host)
        return False


def origin_is_assumed(settings: Settings) -> bool:
    """True when neither PUBLIC_URL nor a platform variable named the origin (the localhost fallback)."""
    return not settings.public_url and not any(getattr(settings, name.lower()) for name in PLATFORM_ORIGIN_VARIABLES)
