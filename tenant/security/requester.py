"""Names the end user behind each tenant request, so that the hash pool can serve end users in turn."""

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from tenant.http import end_user_address
from tenant.security.hashing import HASH_REQUESTER


class HashRequesterMiddleware:
    """Sets HASH_REQUESTER to the end user's address for the rest of the request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Name the requester, then handle the request."""
        if scope["type"] == "http":
            HASH_REQUESTER.set(end_user_address(Request(scope)))
        await self.app(scope, receive, send)
