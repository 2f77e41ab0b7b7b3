"""The instructor's view of the room: `GET /room`, its data feed `GET /room/feed`, and starting a new workshop."""

import hmac
import secrets
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from errors.pages import error_response
from errors.troubleshooting import INSUFFICIENT_SCOPE, troubleshooting_url
from room.access import ROOM_PERMISSION
from room.recording import recording_on
from room.service import REFRESH_SECONDS, Room, RoomUnavailable
from templating.environment import templates
from tokens.verification import AuthError

router = APIRouter(prefix="/room", tags=["room"], include_in_schema=False)

CSRF_SESSION_KEY = "room_csrf"
NO_STORE = {"Cache-Control": "no-store"}
RETRY = {"Retry-After": str(REFRESH_SECONDS), **NO_STORE}
FORM_EXPIRED = "This form is not one this page gave you (or your sign-in changed since). Reload the room and try again."
NOT_SIGNED_IN_TITLE = "Log in as an instructor"
FORBIDDEN_TITLE = "Instructors only"
SWITCHED_OFF_TITLE = "The room is switched off"
SWITCHED_OFF = ("This site does not record visits, so there is no room to show: its operator set ROOM_ENABLED=false. "
                "Remove that setting (or set it to true) and restart the site to count the room again.")


def room_of(request: Request) -> Room:
    """The room the app factory built."""
    return request.app.state.room


def csrf_token(request: Request) -> str:
    """This session's token for the room's form, created on first use."""
    token = request.session.get(CSRF_SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = request.session[CSRF_SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def form_is_ours(request: Request, posted: str) -> bool:
    """The posted token is this session's, and the browser says the form came from this site (when it says)."""
    expected = request.session.get(CSRF_SESSION_KEY)
    origin = request.headers.get("origin")
    same_origin = origin is None or origin == request.app.state.settings.site_origin
    return isinstance(expected, str) and bool(expected) and same_origin and hmac.compare_digest(posted, expected)


def refused_page(request: Request, error: AuthError) -> HTMLResponse:
    """The 401 or 403 as a page: why, in the API's words, and what to do."""
    context = {
        "status_code": error.status_code, "message": error.detail, "permission": ROOM_PERMISSION,
        "title": NOT_SIGNED_IN_TITLE if error.status_code == 401 else FORBIDDEN_TITLE,
        "login_url": f"/auth/login?{urlencode({'returnTo': '/room'})}",
        "troubleshooting": troubleshooting_url(INSUFFICIENT_SCOPE) if error.status_code == 403 else None,
    }
    return templates.TemplateResponse(request, "room_refused.html", context, status_code=error.status_code,
                                      headers={**(error.headers or {}), **NO_STORE})


def switched_off_page(request: Request) -> HTMLResponse:
    """The 404 every room address answers when the operator switched the room off."""
    return error_response(request, 404, SWITCHED_OFF_TITLE, SWITCHED_OFF, headers=NO_STORE)


@router.get("", response_class=HTMLResponse)
async def room_page(request: Request) -> Response:
    """How many attendees are active, how far they got, and what fails for them right now."""
    if not recording_on(request.app):
        return switched_off_page(request)
    room = room_of(request)
    try:
        await room.access.require_instructor(request)
    except AuthError as error:
        return refused_page(request, error)
    try:
        view = await run_in_threadpool(room.view)
    except RoomUnavailable as error:
        return error_response(request, 503, "The room cannot be counted right now", str(error), headers=RETRY)
    context = {"room": view, "csrf": csrf_token(request), "refresh_seconds": REFRESH_SECONDS}
    return templates.TemplateResponse(request, "room.html", context, headers=NO_STORE)


@router.get("/feed")
async def room_feed(request: Request) -> Response:
    """The same counts as JSON, for the page to refresh itself; 401 or 403 as the API answers them."""
    if not recording_on(request.app):
        return JSONResponse({"detail": SWITCHED_OFF}, status_code=404, headers=NO_STORE)
    room = room_of(request)
    await room.access.require_instructor(request)
    try:
        view = await run_in_threadpool(room.view)
    except RoomUnavailable as error:
        return JSONResponse({"detail": str(error)}, status_code=503, headers=RETRY)
    return JSONResponse(view, headers=NO_STORE)


@router.post("/workshops", response_class=HTMLResponse)
async def new_workshop(request: Request, csrf: Annotated[str, Form(max_length=128)] = "") -> Response:
    """Start counting from now on: earlier events no longer count (they expire on their own)."""
    if not recording_on(request.app):
        return switched_off_page(request)
    room = room_of(request)
    try:
        await room.access.require_instructor(request)
    except AuthError as error:
        return refused_page(request, error)
    if not form_is_ours(request, csrf):
        return error_response(request, 403, "Form expired", FORM_EXPIRED)
    await run_in_threadpool(room.recorder.start_workshop)
    return RedirectResponse("/room", status_code=303)
