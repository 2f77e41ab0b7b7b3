"""How every tenant page is rendered and read: templates, headers, posted forms."""

from starlette.requests import Request
from starlette.responses import Response

from tenant.http import BadRequest, body_parameters
from tenant.services import TEMPLATES, tenant_of

PAGE_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}
# The busy form's script (assets/retry.js) sends it again by itself.
RETRYING_PAGE_HEADERS = {
    **PAGE_HEADERS,
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'",
}


def page(request: Request, template: str, status_code: int = 200, headers: dict[str, str] | None = None,
         **context: object) -> Response:
    """A tenant page, framed by nobody."""
    return TEMPLATES.TemplateResponse(request, template, {"tenant": tenant_of(request), **context},
                                      status_code=status_code, headers={**PAGE_HEADERS, **(headers or {})})


# The hosting site's troubleshooting entries (the tenant is served from the site's own origin).
CALLBACK_MISMATCH_HELP = "/troubleshooting#callback-url-mismatch"


def error_page(request: Request, title: str, message: str, status_code: int = 400,
               help_url: str | None = None) -> Response:
    """An error shown to the person in the browser, with no redirect (the redirect target is not trusted)."""
    return page(request, "message.html", status_code, title=title, message=message, is_error=True, help_url=help_url)


async def read_form(request: Request) -> dict[str, str] | None:
    """The posted form, or None when it cannot be read."""
    try:
        return await body_parameters(request)
    except BadRequest:
        return None
