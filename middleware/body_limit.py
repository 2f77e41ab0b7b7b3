"""A cap on the size of request bodies, for the endpoints that read JSON from anyone."""

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BODY_TOO_LARGE = "The request body is larger than {limit} bytes, the most this endpoint reads."


class BodySizeLimit:
    """413 for a POST to one of `paths` whose body is over `limit` bytes, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int, paths: frozenset[str]) -> None:
        self.app = app
        self.limit = limit
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Read the body up to the limit, then hand it on; answer 413 as soon as it goes over."""
        if not self.applies(scope):
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > self.limit:
            await self.too_large(scope, receive, send)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            if len(body) > self.limit:
                await self.too_large(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, replay(bytes(body), receive), send)

    def applies(self, scope: Scope) -> bool:
        """Whether the request's body is capped: a POST to one of the paths."""
        return scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in self.paths

    async def too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The 413 answer, as JSON like the endpoints' other errors."""
        body = {"error": "Content Too Large", "description": BODY_TOO_LARGE.format(limit=self.limit)}
        await JSONResponse(body, status_code=413)(scope, receive, send)


def replay(body: bytes, receive: Receive) -> Receive:
    """A receive channel that gives the body already read, then whatever the client sends next."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive_again() -> Message:
        return pending.pop() if pending else await receive()

    return receive_again
