"""The site's own pages: home, the tutorial steps, and health."""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from errors.pages import error_response
from routers.login import take_page_after_logout
from templating.environment import templates
from tutorial_engine.model import Tutorial

router = APIRouter(tags=["pages"])

FAVICON = Path(__file__).resolve().parent.parent / "static" / "favicon.ico"
UNKNOWN_STEP = "There is no tutorial step at this address. The list of steps is one click away."


def site_tutorial(request: Request) -> Tutorial:
    """The tutorial of this deployment, rendered once."""
    return request.app.state.tutorial.rendered()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def home(request: Request) -> Response:
    """The home page, saying which tenant the site talks to; after a logout, the page the visitor left."""
    if page := take_page_after_logout(request):
        return RedirectResponse(page, status_code=303)
    return templates.TemplateResponse(request, "home.html", {"tutorial": site_tutorial(request)})


@router.get("/tutorials", response_class=HTMLResponse, include_in_schema=False)
async def tutorial_index(request: Request) -> HTMLResponse:
    """Every step in order, with its summary."""
    return templates.TemplateResponse(request, "tutorials/index.html", {"tutorial": site_tutorial(request)})


@router.get("/tutorials/{slug}", response_class=HTMLResponse, include_in_schema=False)
async def tutorial_step(request: Request, slug: str) -> HTMLResponse:
    """One step, with its table of contents and its neighbours."""
    tutorial = site_tutorial(request)
    step = tutorial.get(slug)
    if step is None:
        return error_response(request, 404, "Step not found", UNKNOWN_STEP)
    previous, following = tutorial.neighbours(step)
    context = {
        "tutorial": tutorial, "step": step, "number": tutorial.steps.index(step) + 1,
        "previous": previous, "following": following,
    }
    return templates.TemplateResponse(request, "tutorials/step.html", context)


@router.get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    """Liveness probe for the platform's router."""
    return {"status": "ok"}


@router.get("/favicon.ico", include_in_schema=False)
async def favicon() -> FileResponse:
    """The icon browsers ask for at the root, for pages (such as the tenant's) that name none."""
    return FileResponse(FAVICON, media_type="image/x-icon", headers={"Cache-Control": "public, max-age=86400"})
