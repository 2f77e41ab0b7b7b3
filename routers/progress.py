"""The visitor's progress through the tutorial: `GET /progress`, and the strip the step pages show."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import pass_context

from errors.pages import wants_html
from progress.milestones import MILESTONES, reached_keys
from templating.environment import templates

router = APIRouter(tags=["progress"], include_in_schema=False)


def milestones_of(request: Request) -> list[dict[str, Any]]:
    """Every milestone, in tutorial order, saying whether this visitor has reached it."""
    reached = reached_keys(request.session) if "session" in request.scope else set()
    return [{"key": milestone.key, "label": milestone.label, "step": milestone.step, "done": milestone.key in reached}
            for milestone in MILESTONES]


@router.get("/progress", response_model=None)
async def progress(request: Request) -> dict[str, Any] | HTMLResponse:
    """The milestones and how many are done: JSON for the strip to refresh itself, a page for a browser."""
    milestones = milestones_of(request)
    summary = {"milestones": milestones, "done": sum(m["done"] for m in milestones), "total": len(milestones)}
    if wants_html(request):
        return templates.TemplateResponse(request, "tutorials/progress_page.html", summary)
    return summary


@pass_context
def progress_milestones(context: Any) -> list[dict[str, Any]]:
    """`{% for milestone in progress_milestones() %}` in a template."""
    request: Request | None = context.get("request")
    return milestones_of(request) if request is not None else []


templates.env.globals["progress_milestones"] = progress_milestones
