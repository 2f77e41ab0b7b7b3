"""The flow inspector: the visitor's own recent token exchanges, step by step, back channel included."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from flow_inspector.store import FLOW_TTL_SECONDS
from flow_inspector.views import PARAMETERS, describe
from flow_inspector.visitors import visitor_of
from routers.deps import Flows
from templating.environment import templates

router = APIRouter(tags=["flow inspector"], include_in_schema=False)


@router.get("/inspector", response_class=HTMLResponse)
async def inspector_page(request: Request, flows: Flows) -> HTMLResponse:
    """The visitor's last exchanges, newest first; Swagger sign-ins are added from this browser tab's own record."""
    visitor = visitor_of(request.session)
    recorded = [describe(flow) for flow in await run_in_threadpool(flows.recent, visitor)] if visitor else []
    context = {"flows": recorded, "ttl_minutes": FLOW_TTL_SECONDS // 60, "meanings": PARAMETERS}
    response = templates.TemplateResponse(request, "inspector.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response
