"""The Logs page: the visitor's own events in the tenant's logs, newest first, each in plain words."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from routers.deps import ClientBrowser
from templating.environment import templates
from templating.page_context import signed_in_user
from tenant_client.log_events import explain, shown_time

router = APIRouter(tags=["logs"], include_in_schema=False)

SHOWN_EVENTS = 100


@router.get("/logs", response_class=HTMLResponse)
async def logs_page(request: Request, browser: ClientBrowser) -> HTMLResponse:
    """This browser's events, and the signed-in user's (of a shared demo account, this browser's sign-ins only)."""
    source = request.app.state.tenant_logs
    user = signed_in_user(request) or {}
    events = []
    if source is not None:
        found = await run_in_threadpool(source.visitor_events, request.cookies, user.get("sub"), user.get("sid"),
                                        browser, SHOWN_EVENTS)
        events = [{**event, "explained": explain(event), "when": shown_time(event["date"])} for event in found]
    context = {"events": events, "signed_in": bool(user), "builtin": source is not None}
    response = templates.TemplateResponse(request, "logs.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response
