"""The site's calls to its own built-in tenant, made in-process: marked so that the tenant can tell them apart."""

from starlette.types import ASGIApp, Receive, Scope, Send

IN_PROCESS_KEY = "playground.in_process"


def in_process(app: ASGIApp) -> ASGIApp:
    """The app, with each request it is handed marked as the site's own (for httpx.ASGITransport)."""

    async def marked(scope: Scope, receive: Receive, send: Send) -> None:
        await app({**scope, IN_PROCESS_KEY: True}, receive, send)

    return marked


def is_in_process(scope: Scope) -> bool:
    """True for a request the site made in-process; no peer on a socket, loopback or not, can mark one so."""
    return scope.get(IN_PROCESS_KEY) is True
