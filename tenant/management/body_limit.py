"""A cap on the Management API's request bodies, whatever the method, answered in Auth0's error body."""

from starlette.types import ASGIApp, Receive, Scope, Send

from middleware.body_limit import BODY_TOO_LARGE, BodySizeLimit
from tenant.management.errors import ManagementError

MAX_BODY_BYTES = 64 * 1024
METHODS_WITH_BODIES = frozenset({"POST", "PATCH", "PUT", "DELETE"})


class ManagementBodyLimit(BodySizeLimit):
    """413 for any Management API request whose body is over MAX_BODY_BYTES, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        super().__init__(app, limit, frozenset())

    def applies(self, scope: Scope) -> bool:
        """Every request that may carry a body."""
        return scope["type"] == "http" and scope["method"] in METHODS_WITH_BODIES

    async def too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Auth0's 413 body."""
        await ManagementError(413, BODY_TOO_LARGE.format(limit=self.limit)).response()(scope, receive, send)
