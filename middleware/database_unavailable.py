"""The site's one answer while its database does not answer: 503 with Retry-After, a page or JSON, never a 500."""

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from errors.pages import error_response, wants_html
from server.unavailable import RETRY_AFTER, log_unavailable
from storage import DatabaseUnavailable

logger = logging.getLogger("playground.database")

UNAVAILABLE_TITLE = "Briefly unavailable"
UNAVAILABLE_MESSAGE = "This site's database is not answering. Wait a few seconds, then try again."


def database_unavailable(request: Request, error: Exception) -> Response:
    """503 with Retry-After: the site's error page for browsers, the API's error body for everyone else."""
    log_unavailable(logger, request.url.path, error)
    if wants_html(request):
        return error_response(request, 503, UNAVAILABLE_TITLE, UNAVAILABLE_MESSAGE, headers=RETRY_AFTER)
    body = {"error": "Service Unavailable", "description": UNAVAILABLE_MESSAGE}
    return JSONResponse(body, status_code=503, headers=RETRY_AFTER)


class AnswerDatabaseUnavailable:
    """Outside the session and everything else that reads the database: its failures become the site's 503."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_noting_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_noting_start)
        except DatabaseUnavailable as error:
            if started:
                raise
            await database_unavailable(Request(scope), error)(scope, receive, send)
