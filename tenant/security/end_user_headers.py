"""The headers in which a caller speaks for its end user, heard only from the site's own in-process calls."""

from starlette.types import ASGIApp, Receive, Scope, Send

from server.in_process import is_in_process
from tenant.grants.password import FORWARDED_BROWSER_HEADER
from tenant.http import FORWARDED_FOR_HEADER

END_USER_HEADERS = frozenset({FORWARDED_FOR_HEADER.encode(), FORWARDED_BROWSER_HEADER.encode()})


class EndUserHeaders:
    """Drops `auth0-forwarded-for` and `playground-forwarded-browser` from every request but the site's own."""
    # The demo clients' secrets are public, and any process on this machine (or a proxy in front of it) reaches the
    # tenant from a loopback address: a caller free to name the end user would escape every lockout and limit.

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not is_in_process(scope):
            kept = [(name, value) for name, value in scope["headers"] if name not in END_USER_HEADERS]
            if len(kept) != len(scope["headers"]):
                scope = {**scope, "headers": kept}
        await self.app(scope, receive, send)
