"""An ASGI app built at its first request, so that a part few visitors use costs nothing at start-up."""

from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send


class BuiltOnFirstUse:
    """Calls `build` (which may import what the part needs) at the first request, then hands every request to it."""

    def __init__(self, build: Callable[[], ASGIApp]) -> None:
        self.build = build
        self.app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request to the app, building it first if this is the first request."""
        if self.app is None:
            self.app = self.build()
        await self.app(scope, receive, send)
