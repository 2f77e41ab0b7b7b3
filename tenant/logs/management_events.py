"""Auth0's `sapi` event for each change the Management API made: which client, which method and path, never a body."""

import base64
import json

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tenant.logs.codes import SUCCESS_API_OPERATION
from tenant.logs.journal import Journal, never_fails
from tenant.logs.origin import origin_of

CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def client_of_token(authorization: str) -> str | None:
    """The `azp` of the bearer token that the Management API has just accepted (so no check is repeated here)."""
    token = authorization.partition(" ")[2].strip()
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return None
    client_id = claims.get("azp") if isinstance(claims, dict) else None
    return client_id if isinstance(client_id, str) else None


@never_fails
def record_change(journal: Journal, scope: Scope, status: int) -> None:
    """Record one change the Management API answered with success."""
    request = Request(scope)
    path = scope["path"][:256]  # the whole path: a mount keeps it in the scope
    journal.record(SUCCESS_API_OPERATION, origin_of(request),
                   client_id=client_of_token(request.headers.get("authorization", "")),
                   description=f"{scope['method']} {path}",
                   details={"request": {"method": scope["method"], "path": path}, "response": {"statusCode": status}})


class ManagementEvents:
    """Middleware of the Management API: a successful POST, PUT, PATCH or DELETE becomes a `sapi` event."""

    def __init__(self, app: ASGIApp, journal: Journal) -> None:
        self.app = app
        self.journal = journal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in CHANGES:
            await self.app(scope, receive, send)
            return
        status = 500

        async def watched(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, watched)
        if 200 <= status < 300:
            record_change(self.journal, scope, status)
