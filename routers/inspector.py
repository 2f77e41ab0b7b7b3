"""The flow inspector: the visitor's own recent token exchanges, step by step, back channel included."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from flow_inspector.records import FLOW_TTL_SECONDS, VISITOR_KEY
from flow_inspector.views import PARAMETERS, describe
from routers.deps import Flows
from templating.environment import templates

router = APIRouter(tags=["flow inspector"], include_in_schema=False)


@router.get("/inspector", response_class=HTMLResponse)
async def inspector_page(request: Request, flows: Flows) -> HTMLResponse:
    """The visitor's last exchanges, newest first; Swagger sign-ins are added from this browser tab's own record."""
    visitor = request.session.get(VISITOR_KEY)
    recorded = [describe(flow) for flow in flows.recent(visitor)] if isinstance(visitor, str) else []
    context = {"flows": recorded, "ttl_minutes": FLOW_TTL_SECONDS // 60, "meanings": PARAMETERS}
    response = templates.TemplateResponse(request, "inspector.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response
