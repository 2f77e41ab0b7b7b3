"""The site's own pages: home and health."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from templating import templates

router = APIRouter(tags=["pages"])


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def home(request: Request) -> HTMLResponse:
    """The home page, saying which tenant the site talks to."""
    return templates.TemplateResponse(request, "home.html")


@router.get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    """Liveness probe for the platform's router."""
    return {"status": "ok"}
