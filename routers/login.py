"""Web login with the tenant: authorization code + PKCE via authlib, a signed session, the profile page, logout."""

import json
import logging
import time
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from errors.pages import error_response
from flow_inspector.records import recording_into
from flow_inspector.store import FlowStore
from flow_inspector.visitors import renewed, visitor_for, visitor_of
from middleware.ended_sessions import start_login
from progress.milestones import note_failure
from routers.deps import Auth0Client, Flows
from settings import Settings
from templating.environment import templates
from tenant_client.login_failures import LOGIN_ERRORS, LoginFailure, explain, mismatching_state
from tenant_client.oauth import StarletteOAuth2App, callback_url
from tokens.report import readable_times
from tokens.step_up import MFA_POLICY
from tokens.unverified_jwt import decode_unverified

logger = logging.getLogger(__name__)

# Browser pages, not API operations: kept out of the OpenAPI schema like the site's other pages.
router = APIRouter(tags=["web login"], include_in_schema=False)

DEFAULT_RETURN_TO = "/profile"
AFTER_LOGOUT_KEY = "after_logout"
AFTER_LOGOUT_LIFETIME = 120
SIGNED_IN_ONLY = ("/profile", "/auth/")
NOT_A_LOCAL_PATH = "returnTo must be a path on this site, such as /profile"
UNKNOWN_ACR_VALUES = f"acr_values may only be the multi-factor policy, {MFA_POLICY}"


def is_local_path(value: str) -> bool:
    """True for `/profile?tab=1`; False for `https://evil.example`, `//evil.example` or `/\\evil.example`."""
    parts = urlsplit(value)
    return (
        value.startswith("/") and not value.startswith("//") and "\\" not in value
        and not parts.scheme and not parts.netloc and value.isprintable()
    )


def decode_for_display(token: str) -> dict[str, Any] | None:
    """The JOSE header and claims of a JWT, unverified (it came straight from the token endpoint); None if opaque."""
    decoded = decode_unverified(token)
    return {"header": decoded[0], "claims": decoded[1]} if decoded else None


def settings_of(request: Request) -> Settings:
    """The settings the app was built with."""
    return request.app.state.settings


async def started_here(request: Request, auth0: StarletteOAuth2App) -> bool:
    """True when the callback's `state` is one this browser's session is waiting for (authlib keeps it there)."""
    state = request.query_params.get("state", "")
    return bool(state) and bool(await auth0.framework.get_state_data(request.session, state))


def failure_page(request: Request, failure: LoginFailure) -> HTMLResponse:
    """The page that says why the login failed and how to fix it."""
    # %r: code and detail may come from the callback URL, which anyone can write, newlines included.
    logger.warning("Login failed: %r (%r)", failure.code, failure.detail)
    note_failure(request, f"login-{failure.code}")
    context = {"failure": failure}
    return templates.TemplateResponse(request, "login_error.html", context, status_code=failure.status_code)


@router.get("/auth/login", response_class=HTMLResponse)
async def login(
    request: Request, auth0: Auth0Client, flows: Flows,
    return_to: Annotated[str, Query(alias="returnTo")] = DEFAULT_RETURN_TO,
    acr_values: Annotated[str | None, Query(max_length=512)] = None,
) -> Response:
    """Send the browser to the tenant's login page; `returnTo` is where to land afterwards, and `acr_values` (the
    multi-factor policy) asks the tenant for MFA in this login."""
    if not is_local_path(return_to):
        return error_response(request, 400, "Not a page of this site", NOT_A_LOCAL_PATH)
    if acr_values is not None and acr_values != MFA_POLICY:
        return error_response(request, 400, "Unknown acr_values", UNKNOWN_ACR_VALUES)
    request.session["return_to"] = return_to
    extra = {"acr_values": acr_values} if acr_values else {}
    try:
        redirect = await auth0.authorize_redirect(request, callback_url(settings_of(request)), **extra)
    except LOGIN_ERRORS as error:
        return failure_page(request, explain(error, settings_of(request)))
    await record_authorization(request, auth0, flows, redirect.headers["location"])
    return redirect


async def record_authorization(request: Request, auth0: StarletteOAuth2App, flows: FlowStore, url: str) -> None:
    """Start the visitor's web-login flow in the inspector: the authorization URL and the PKCE verifier."""
    flow = flows.new_flow("Web login (authorization code + PKCE)")
    flow.authorization_url = url
    state = dict(parse_qsl(urlsplit(url).query)).get("state", "")
    flow.code_verifier = ((await auth0.framework.get_state_data(request.session, state)) or {}).get("code_verifier")
    await flows.keep(visitor_for(request.session), flow)


@router.get("/auth/callback", response_class=HTMLResponse)
async def callback(request: Request, auth0: Auth0Client, flows: Flows) -> Response:
    """Exchange the code for tokens, verify the ID token, and keep the user's claims in the session."""
    sent_back_with_error = "error" in request.query_params
    # authlib raises the callback's error before it checks the state: words from a link this browser did not
    # start are not the tenant's, so they are not shown.
    if sent_back_with_error and not await started_here(request, auth0):
        return failure_page(request, mismatching_state(settings_of(request)))
    visitor = visitor_of(request.session)
    flow = await flows.find_waiting(visitor, request.query_params.get("state", ""))
    if flow is not None:
        flow.callback = {name: request.query_params[name] for name in ("code", "state", "error", "error_description")
                         if name in request.query_params}
    try:
        with recording_into(flow):
            token = await auth0.authorize_access_token(request)
        user = dict(token["userinfo"])
    except LOGIN_ERRORS as error:
        failure = explain(error, settings_of(request), sent_back_with_error)
        if flow is not None:
            flow.outcome = f"failed: {failure.title}"
        await flows.keep(visitor, flow)
        return failure_page(request, failure)
    return_to = request.session.get("return_to", DEFAULT_RETURN_TO)
    request.session.clear()
    if visitor is not None:
        # A new visitor id with the new session, so that an id planted before the login cannot read its flows.
        visitor = renewed(request.session, visitor)
    if flow is not None:
        flow.outcome = "signed in: this site verified the ID token (signature, issuer, audience, nonce) and started your session"
    await flows.keep(visitor, flow)
    # Claims, not raw tokens: they are what the profile shows, and they keep the cookie small.
    request.session["user"] = user
    request.session["access_token"] = decode_for_display(token.get("access_token", ""))
    start_login(request.session)
    return RedirectResponse(return_to if is_local_path(return_to) else DEFAULT_RETURN_TO, status_code=303)


def page_left(request: Request, return_to: str | None) -> str | None:
    """The page to come back to after logging out: `returnTo`, else the same-origin page the visitor came from."""
    referer = request.headers.get("referer", "")
    origin = settings_of(request).site_origin
    path = return_to or (referer[len(origin):] if referer.startswith(f"{origin}/") else None)
    if not path or not is_local_path(path) or path == "/" or path.startswith(SIGNED_IN_ONLY):
        return None
    return path


def take_page_after_logout(request: Request) -> str | None:
    """The page a visitor who just logged out left, once, if they left it a moment ago."""
    kept = request.session.pop(AFTER_LOGOUT_KEY, None) if "session" in request.scope else None
    if not isinstance(kept, dict) or time.time() - kept.get("at", 0) > AFTER_LOGOUT_LIFETIME:
        return None
    path = kept.get("path")
    return path if isinstance(path, str) and is_local_path(path) else None


@router.get("/auth/logout", response_class=HTMLResponse)
async def logout(
    request: Request, return_to: Annotated[str | None, Query(alias="returnTo")] = None
) -> Response:
    """End this site's session, then the tenant's; the tenant sends the browser home, which leads on to `returnTo`."""
    if return_to is not None and not is_local_path(return_to):
        return error_response(request, 400, "Not a page of this site", NOT_A_LOCAL_PATH)
    back_to = page_left(request, return_to)
    await run_in_threadpool(request.app.state.ended_logins.end, request.session)
    request.session.clear()
    # The tenant only returns to the registered logout URL (the home page): the page to go on to waits here.
    if back_to:
        request.session[AFTER_LOGOUT_KEY] = {"path": back_to, "at": time.time()}
    settings = settings_of(request)
    query = urlencode({"returnTo": settings.site_origin, "client_id": settings.web_client_id}, quote_via=quote_plus)
    return RedirectResponse(f"{settings.tenant_base_url}/v2/logout?{query}", status_code=303)


@router.get("/profile", response_class=HTMLResponse)
async def profile(request: Request) -> Response:
    """The signed-in user's name, picture, email and token claims; a signed-out visitor logs in first."""
    user = request.session.get("user")
    if not user:
        return RedirectResponse(f"/auth/login?{urlencode({'returnTo': '/profile'})}", status_code=303)
    access_token = request.session.get("access_token")
    context = {
        "user": user,
        "id_token_claims": json.dumps(user, indent=2, sort_keys=True),
        "access_token_header": json.dumps(access_token["header"], indent=2) if access_token else None,
        "access_token_claims": json.dumps(access_token["claims"], indent=2, sort_keys=True) if access_token else None,
        "id_token_times": readable_times(user),
        "access_token_times": readable_times(access_token["claims"]) if access_token else {},
    }
    return templates.TemplateResponse(request, "profile.html", context)
