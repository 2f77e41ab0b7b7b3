"""A random, long-lived id for the visitor's browser, so that lockouts count per browser and not per shared address."""

import re
import secrets
from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from canonical_origin import is_page_request

BROWSER_COOKIE = "playground_browser"
BROWSER_COOKIE_MAX_AGE = 365 * 86_400
BROWSER_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def browser_id(value: str | None) -> str | None:
    """A browser id as this site issues them; anything else (a forged or damaged cookie) counts as none."""
    return value if value is not None and BROWSER_ID_PATTERN.fullmatch(value) else None


def cookie_value(scope: Scope, name: str) -> str | None:
    """One cookie of the request, if it sent it."""
    for key, value in scope["headers"]:
        if key == b"cookie":
            morsel = SimpleCookie(value.decode("latin-1")).get(name)
            if morsel is not None and morsel.value:
                return morsel.value
    return None


class BrowserIdCookie:
    """Gives a browser without the cookie a fresh id, on page loads and on `paths`, for its next requests."""
    # Only an id the browser presents is counted as its own: a client without cookies (curl, an attacker) is counted
    # by its address, as before; a room's browsers have their id from the first page they opened.

    def __init__(self, app: ASGIApp, paths: frozenset[str], secure: bool) -> None:
        self.app = app
        self.paths = paths
        self.attributes = f"Max-Age={BROWSER_COOKIE_MAX_AGE}; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" * secure)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        wanted = scope["type"] == "http" and (scope["path"] in self.paths or is_page_request(scope))
        if not wanted or browser_id(cookie_value(scope, BROWSER_COOKIE)):
            await self.app(scope, receive, send)
            return
        cookie = f"{BROWSER_COOKIE}={secrets.token_urlsafe(18)}; {self.attributes}"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)
