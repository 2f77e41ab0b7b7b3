"""The teaching authenticator: a page that makes an authenticator app's codes in the browser, for a room without phones."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from templating.environment import templates

router = APIRouter(tags=["teaching authenticator"])


@router.get("/authenticator", response_class=HTMLResponse, include_in_schema=False)
async def authenticator_page(request: Request) -> HTMLResponse:
    """Paste an enrollment secret: the current six-digit code (RFC 6238), computed with Web Crypto in this tab."""
    return templates.TemplateResponse(request, "authenticator.html", {})
