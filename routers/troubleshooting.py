"""`GET /troubleshooting`: each error a learner can meet, what it means and what to change."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from errors.troubleshooting import TROUBLES
from templating.environment import templates

router = APIRouter(tags=["troubleshooting"], include_in_schema=False)


@router.get("/troubleshooting", response_class=HTMLResponse)
async def troubleshooting(request: Request) -> HTMLResponse:
    """One page, one anchored entry per error."""
    return templates.TemplateResponse(request, "troubleshooting.html", {"troubles": TROUBLES})
