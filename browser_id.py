"""A random, long-lived id for the visitor's browser, so that lockouts count per browser and not per shared address."""

import re
import secrets
from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
    """Gives a browser that posts to one of `paths` without the cookie a fresh id, seen by the handler already."""

    def __init__(self, app: ASGIApp, paths: frozenset[str], secure: bool) -> None:
        self.app = app
        self.paths = paths
        self.attributes = f"Max-Age={BROWSER_COOKIE_MAX_AGE}; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" * secure)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        if browser_id(cookie_value(scope, BROWSER_COOKIE)):
            await self.app(scope, receive, send)
            return
        browser = secrets.token_urlsafe(18)
        # One cookie header, the new id last (where a parser's later value wins over a forged one).
        cookies = [value for key, value in scope["headers"] if key == b"cookie"]
        merged = b"; ".join([*cookies, f"{BROWSER_COOKIE}={browser}".encode()])
        scope = {**scope, "headers": [*((k, v) for k, v in scope["headers"] if k != b"cookie"), (b"cookie", merged)]}

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", f"{BROWSER_COOKIE}={browser}; {self.attributes}")
            await send(message)

        await self.app(scope, receive, send_with_cookie)
