"""Serves the tenant's own paths from the root of the site's origin, as an Auth0 domain serves them."""

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Match, NoMatchFound, get_route_path
from starlette.types import Receive, Scope, Send


class TenantAtRoot(BaseRoute):
    """A route of the site that hands every path the tenant has a route for to the tenant's own app."""

    path = ""

    def __init__(self, app: Starlette) -> None:
        self.app = app
        # Every request of the site asks; most are turned away by their first path segment alone.
        self.first_segments = frozenset(route.path.split("/")[1] for route in app.router.routes)

    @property
    def routes(self) -> list[BaseRoute]:
        """The tenant's own routes, at the root."""
        return self.app.routes

    def serves(self, path: str) -> bool:
        """Whether the tenant has a route at this path, for any method."""
        if (path.split("/", 2)[1] if path.startswith("/") else "") not in self.first_segments:
            return False
        probe = {"type": "http", "path": path, "root_path": "", "method": "GET"}
        return any(route.matches(probe)[0] is not Match.NONE for route in self.app.router.routes)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """A full match for the tenant's paths; the tenant itself answers a method it does not take."""
        if scope["type"] == "http" and self.serves(get_route_path(scope)):
            return Match.FULL, {}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Let the tenant's app (its CORS and error handlers included) answer."""
        await self.app(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: object) -> str:
        """The tenant's URLs are Auth0's, built from its issuer, never by name."""
        raise NoMatchFound(name, path_params)
