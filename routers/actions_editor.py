"""The Actions editor: a signed-in visitor writes a post-login Action, tests it against a sample event, and deploys
it for their own logins only (`GET /actions`, `POST /actions/test`, `/actions/deploy`, `/actions/remove`)."""

import hmac
import json
import secrets
from typing import Annotated, Any, Protocol
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from templating.environment import templates

router = APIRouter(prefix="/actions", tags=["actions editor"], include_in_schema=False)

CSRF_SESSION_KEY = "actions_csrf"
CSRF_HEADER = "x-csrf-token"
MAX_SOURCE_CHARACTERS = 16 * 1024
MAX_BODY_BYTES = 64 * 1024
LIMITED_PATHS = frozenset({"/actions/test", "/actions/deploy", "/actions/remove"})
NO_STORE = {"Cache-Control": "no-store"}
NOT_OURS = "This request did not come from the editor this site gave you. Reload the page and try again."
SIGNED_OUT = "Your sign-in has ended. Log in again to test and deploy Actions."
NO_BUILTIN_TENANT = ("The editor runs Actions on this site's built-in tenant; this site uses an Auth0 tenant, whose "
                     "dashboard has its own editor (Actions, Library, Create Action).")
STARTER = """/**
 * Handler that will be called during the execution of a PostLogin flow.
 * @param {Event} event - Details about the user and the context in which they are logging in.
 * @param {PostLoginAPI} api - Interface whose methods can be used to change the behavior of the login.
 */
exports.onExecutePostLogin = async (event, api) => {
  const namespace = "https://playground.example";
  api.accessToken.setCustomClaim(`${namespace}/roles`, event.authorization?.roles ?? []);
};
"""


class Lab(Protocol):
    """What the built-in tenant's editor service offers (tenant/actions/lab.py), for one visitor by `sub`."""

    def sample_event(self, sub: str) -> dict | None: ...
    def test(self, sub: str, source: str, event: object) -> dict: ...
    def deployed(self, sub: str) -> list[dict]: ...
    def deploy(self, sub: str, name: str, source: str) -> None: ...
    def remove(self, sub: str, name: str) -> bool: ...


class TestRun(BaseModel):
    """Code to run once against a sample event."""

    source: Annotated[str, Field(max_length=MAX_SOURCE_CHARACTERS)]
    event: dict[str, Any]


class Deploy(BaseModel):
    """Code to deploy under a name."""

    name: Annotated[str, Field(min_length=1, max_length=64)]
    source: Annotated[str, Field(max_length=MAX_SOURCE_CHARACTERS)]


class Remove(BaseModel):
    """The name of a deployed Action to remove."""

    name: Annotated[str, Field(min_length=1, max_length=64)]


def lab_of(request: Request) -> Lab | None:
    """The built-in tenant's editor service, or None with an Auth0 tenant."""
    return request.app.state.actions_lab


def signed_in_sub(request: Request) -> str | None:
    """The signed-in visitor's subject, from their session."""
    user = request.session.get("user")
    sub = user.get("sub") if isinstance(user, dict) else None
    return sub if isinstance(sub, str) else None


def csrf_token(request: Request) -> str:
    """This session's token for the editor's requests, created on first use."""
    token = request.session.get(CSRF_SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = request.session[CSRF_SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def request_is_ours(request: Request) -> bool:
    """The request carries this session's token, and the browser says it came from this site (when it says)."""
    expected = request.session.get(CSRF_SESSION_KEY)
    posted = request.headers.get(CSRF_HEADER, "")
    origin = request.headers.get("origin")
    same_origin = origin is None or origin == request.app.state.settings.site_origin
    return isinstance(expected, str) and bool(expected) and same_origin and hmac.compare_digest(posted, expected)


def refused(status_code: int, detail: str) -> JSONResponse:
    """A JSON refusal the editor shows as it is."""
    return JSONResponse({"detail": detail}, status_code=status_code, headers=NO_STORE)


def checked(request: Request) -> tuple[Lab, str] | JSONResponse:
    """The lab and the visitor's subject for a POST, or the refusal: no tenant, not signed in, not from the page."""
    lab = lab_of(request)
    if lab is None:
        return refused(404, NO_BUILTIN_TENANT)
    if not request_is_ours(request):
        return refused(403, NOT_OURS)
    sub = signed_in_sub(request)
    if sub is None:
        return refused(401, SIGNED_OUT)
    return lab, sub


@router.get("", response_class=HTMLResponse)
async def editor_page(request: Request) -> Response:
    """The editor: code, a sample event from the visitor's own profile, Test, Deploy, and what is deployed."""
    lab = lab_of(request)
    sub = signed_in_sub(request)
    if lab is not None and sub is None:
        return RedirectResponse(f"/auth/login?{urlencode({'returnTo': '/actions'})}", status_code=303)
    sample = await run_in_threadpool(lab.sample_event, sub) if lab else None
    context = {
        "lab": lab is not None, "no_tenant": NO_BUILTIN_TENANT, "starter": STARTER,
        "sample": json.dumps(sample or {}, indent=2), "csrf": csrf_token(request),
        "deployed": await run_in_threadpool(lab.deployed, sub) if lab else [],
        "max_source": MAX_SOURCE_CHARACTERS,
    }
    return templates.TemplateResponse(request, "actions_editor.html", context, headers=NO_STORE)


@router.post("/test")
async def test_action(request: Request, body: TestRun) -> Response:
    """Run the code once against the event: what it did, or why the login would fail, and how long it took."""
    allowed = checked(request)
    if isinstance(allowed, JSONResponse):
        return allowed
    lab, sub = allowed
    try:
        report = await run_in_threadpool(lab.test, sub, body.source, body.event)
    except ValueError as error:  # the lab's refusals (bounds, event shape) are ValueErrors
        return refused(400, str(error))
    return JSONResponse(report, headers=NO_STORE)


@router.post("/deploy")
async def deploy_action(request: Request, body: Deploy) -> Response:
    """Deploy the code for the visitor's own logins; the operator's Actions still run first, for everyone."""
    allowed = checked(request)
    if isinstance(allowed, JSONResponse):
        return allowed
    lab, sub = allowed
    try:
        await run_in_threadpool(lab.deploy, sub, body.name, body.source)
    except ValueError as error:
        return refused(400, str(error))
    return JSONResponse({"deployed": await run_in_threadpool(lab.deployed, sub)}, headers=NO_STORE)


@router.post("/remove")
async def remove_action(request: Request, body: Remove) -> Response:
    """Undeploy one of the visitor's Actions."""
    allowed = checked(request)
    if isinstance(allowed, JSONResponse):
        return allowed
    lab, sub = allowed
    await run_in_threadpool(lab.remove, sub, body.name)
    return JSONResponse({"deployed": await run_in_threadpool(lab.deployed, sub)}, headers=NO_STORE)
