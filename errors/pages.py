"""Error pages in the site's look, for browsers; API clients keep FastAPI's JSON errors."""

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from templating.environment import templates

PAGE_NOT_FOUND = "Nothing lives at this address. Try the home page or the list of tutorial steps."
# Machine-facing areas answer errors in JSON even to a browser.
JSON_ONLY_PREFIXES = ("/api/", "/auth/token", "/auth/signup", "/openapi.json")


def error_response(request: Request, status_code: int, title: str, message: str,
                   detail: str | None = None, headers: dict[str, str] | None = None) -> HTMLResponse:
    """The shared error page: a status, a title, a plain-words message and an optional technical detail."""
    context = {"status_code": status_code, "title": title, "message": message, "detail": detail}
    return templates.TemplateResponse(request, "error.html", context, status_code=status_code, headers=headers)


def wants_html(request: Request) -> bool:
    """A browser asking for a page, not an API client."""
    path = request.url.path
    return "text/html" in request.headers.get("accept", "") and not path.startswith(JSON_ONLY_PREFIXES)


async def page_not_found(request: Request, exc: StarletteHTTPException) -> Response:
    """A 404 as the site's error page for browsers; JSON for everyone else."""
    if wants_html(request):
        return error_response(request, 404, "Page not found", PAGE_NOT_FOUND)
    return await http_exception_handler(request, exc)


def install_error_pages(app: FastAPI) -> None:
    """Show unknown addresses as the site's 404 page."""
    app.add_exception_handler(404, page_not_found)
