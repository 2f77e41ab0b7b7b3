"""The tenant's answer while its database does not answer: 503 and a plain reason, a page for browsers."""

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.unavailable import RETRY_AFTER, log_unavailable
from tenant.pages.rendering import error_page

logger = logging.getLogger("tenant")
UNAVAILABLE_TITLE = "Sign-in is briefly unavailable"
UNAVAILABLE_MESSAGE = "The tenant's database is not answering. Wait a few seconds, then try again."


async def database_unavailable(request: Request, error: Exception) -> Response:
    """503 with Retry-After; the reason goes to the log on one line, never a traceback to the caller."""
    log_unavailable(logger, request.url.path, error)
    if "text/html" in request.headers.get("accept", ""):
        response = error_page(request, UNAVAILABLE_TITLE, UNAVAILABLE_MESSAGE, 503)
    else:
        response = JSONResponse({"error": "temporarily_unavailable", "error_description": UNAVAILABLE_MESSAGE},
                                status_code=503)
    response.headers.update(RETRY_AFTER)
    return response
