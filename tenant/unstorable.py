"""The tenant's answer to text its database refuses to store (PostgreSQL refuses NUL characters): a 400, never a 500."""

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tenant.endpoints.dbconnections import signup_error
from tenant.pages.rendering import error_page

UNSTORABLE = "The request holds a character that cannot be stored (NUL, U+0000). Remove it and try again."
UNSTORABLE_TITLE = "Invalid request"


async def unstorable_text(request: Request, error: Exception) -> Response:
    """400 in the shape of the endpoint that met it: a page, a database connection's body, or OAuth's."""
    if "text/html" in request.headers.get("accept", ""):
        return error_page(request, UNSTORABLE_TITLE, UNSTORABLE, 400)
    if request.url.path.startswith("/dbconnections/"):
        return signup_error("invalid_body", UNSTORABLE)
    return JSONResponse({"error": "invalid_request", "error_description": UNSTORABLE}, status_code=400)
