"""The activation page (/activate): the user signs in and confirms or cancels a device."""

import math
import secrets
from functools import partial

from starlette.requests import Request
from starlette.responses import Response

from tenant.config import origin_of
from tenant.directory import DEMO_USERS
from tenant.endpoints.busy import busy_page
from tenant.grants.device_code import (
    DECISION_KIND, DEVICE_CODE_LIFETIME, EXPIRED_GRACE, FLOW_KIND, USER_CODE_KIND, user_code_key,
)
from tenant.grants.password import BLOCKED_DESCRIPTION
from tenant.http import BadRequest, body_parameters, client_address
from tenant.logs import page_events
from tenant.logs.codes import DEVICE_CANCELED, FAILED_DEVICE_ACTIVATION
from tenant.pages.rendering import error_page, page
from tenant.security.hashing import HashingBusy, run_hashing_call
from tenant.security.throttle import Throttle
from tenant.services import Tenant, tenant_of
from tenant.store.sessions import (
    BROWSER_COOKIE, BROWSER_ID_PATTERN, browser_id, current_session, end_session, remember_browser, set_session_cookie,
    start_session,
)
from tenant.store.users import USER_BLOCKED, LoginBlocked, UserBlocked

FORM_KIND = "device_form"
INVALID_CODE = "This code is invalid, expired or already used."
WRONG_CREDENTIALS = "Wrong email or password."
DEVICE_CANCELED_DESCRIPTION = "User canceled the confirmation prompt."
SIGN_IN_FIRST = "Sign in to confirm or cancel this request."
SWITCH_USER = "switch_user"  # the value of the form's "Not you?" button
TOO_MANY_CODES_TITLE = "Too many codes tried"
TOO_MANY_CODES = "Too many codes were entered from this browser or network. Try again in {wait}."
# Each activation form keeps a one-time token: a room's worth of pages per address, so that they cannot fill storage.
ACTIVATION_FORMS_PER_ADDRESS = Throttle("activation-forms", 1000, 15 * 60)
# User codes a browser may look up, right or wrong: a person types theirs a few times, a guesser needs millions.
CODE_LOOKUPS_PER_BROWSER = Throttle("device-code-lookups", 30, 15 * 60)
# Codes that matched nothing, per address over every browser (or none): a room behind one address mistypes a few
# each; an attacker who drops or forges the browser cookie gets no more guesses than that.
CODE_MISSES_PER_ADDRESS = Throttle("device-code-misses", 200, 15 * 60)


def pending_flow(tenant: Tenant, typed: str) -> dict | None:
    """The flow waiting for this user code, if it is live and undecided."""
    reference = tenant.store.get_grant(USER_CODE_KIND, user_code_key(typed)) if typed else None
    return tenant.store.get_grant(FLOW_KIND, reference["flow"]) if reference else None


def known_browser(request: Request) -> str | None:
    """The browser id this browser holds from the tenant, if it holds one."""
    held = request.cookies.get(BROWSER_COOKIE, "")
    return held if BROWSER_ID_PATTERN.fullmatch(held) else None


def lookups_refused(request: Request) -> Response | None:
    """The 429 page once this browser or address has tried too many codes; otherwise count this lookup."""
    store, browser, address = tenant_of(request).store, known_browser(request), client_address(request)
    for throttle, subject in ((CODE_LOOKUPS_PER_BROWSER, browser), (CODE_MISSES_PER_ADDRESS, address)):
        if subject and throttle.exhausted(store, subject):
            retry_after = throttle.retry_after()
            minutes = math.ceil(int(retry_after["Retry-After"]) / 60)
            wait = "a minute" if minutes == 1 else f"{minutes} minutes"
            return page(request, "message.html", 429, retry_after, is_error=True, title=TOO_MANY_CODES_TITLE,
                        message=TOO_MANY_CODES.format(wait=wait))
    if browser:
        CODE_LOOKUPS_PER_BROWSER.count(store, browser)
    return None


def looked_up(request: Request, typed: str) -> dict | None:
    """The flow waiting for the typed code; a code that matches none counts against the caller's address."""
    tenant = tenant_of(request)
    flow = pending_flow(tenant, typed)
    if flow is None:
        CODE_MISSES_PER_ADDRESS.count(tenant.store, client_address(request))
    return flow


def activation_page(request: Request, status_code: int = 200, headers: dict[str, str] | None = None,
                    **context: object) -> Response:
    """The activation page: the code, who is asking, and who is signed in."""
    tenant = tenant_of(request)
    session = current_session(tenant, request)
    signed_in = tenant.users.by_id(session["user_id"]) if session else None
    flow = context.get("flow")
    if not isinstance(flow, dict):
        return page(request, "activate.html", status_code, headers, signed_in=signed_in, demo_users=DEMO_USERS,
                    **context)
    address = client_address(request)
    if ACTIVATION_FORMS_PER_ADDRESS.exhausted(tenant.store, address):
        return page(request, "message.html", 429, ACTIVATION_FORMS_PER_ADDRESS.retry_after(), is_error=True,
                    title="Too many activation pages", message="Too many were opened from your address; try later.")
    ACTIVATION_FORMS_PER_ADDRESS.count(tenant.store, address)
    browser, form_token = browser_id(request), secrets.token_urlsafe(24)
    tenant.store.put_grant(FORM_KIND, form_token, {"browser": browser}, DEVICE_CODE_LIFETIME)
    response = page(request, "activate.html", status_code, headers, signed_in=signed_in, demo_users=DEMO_USERS,
                    client=tenant.directory.client(flow["client_id"]), form_token=form_token, switch_user=SWITCH_USER,
                    **context)
    remember_browser(tenant, response, browser)
    return response


def from_another_site(request: Request) -> bool:
    """Whether the browser says the form was posted by a page of another origin."""
    origin = request.headers.get("origin")
    # "null" is what a browser sends from a page whose Referrer-Policy is no-referrer, as the tenant's pages are.
    return origin not in (None, "null") and origin != origin_of(tenant_of(request).config.issuer)


def form_of_this_browser(request: Request, form: dict[str, str]) -> bool:
    """Use up the form's one-time token; true when this page served it to this very browser (CSRF)."""
    token = form.get("form_token", "")
    held = tenant_of(request).store.take_grant(FORM_KIND, token) if token else None
    return held is not None and held["browser"] == request.cookies.get(BROWSER_COOKIE)


def stale_form(request: Request) -> Response:
    """The page for an activation form this browser was not given, or has already sent."""
    return error_page(request, "This activation page has expired",
                      "Open the activation page again and enter the code shown on your device.", 403)


async def activate(request: Request) -> Response:
    """GET /activate: enter the user code, or confirm the one carried by verification_uri_complete."""
    typed = request.query_params.get("user_code", "")
    if not typed:
        return activation_page(request)
    refused = lookups_refused(request)
    if refused is not None:
        return refused
    flow = looked_up(request, typed)
    if flow is None:
        return activation_page(request, 400, user_code=typed, error=INVALID_CODE)
    return activation_page(request, user_code=flow["user_code"], flow=flow)


def signed_out_of_tenant(request: Request, flow: dict) -> Response:
    """"Not you?": end this browser's tenant session and ask again who confirms the device."""
    tenant = tenant_of(request)
    end_session(tenant, request, Response())  # the session is gone before the page asks who is signed in
    response = activation_page(request, user_code=flow["user_code"], flow=flow)
    end_session(tenant, request, response)
    return response


async def activate_submit(request: Request) -> Response:
    """POST /activate: sign in if needed, then record the user's decision for the device (either needs a user)."""
    tenant = tenant_of(request)
    if from_another_site(request):
        return stale_form(request)
    try:
        form = await body_parameters(request)
    except BadRequest:
        return error_page(request, "Invalid form", "The form could not be read.")
    refused = lookups_refused(request)
    if refused is not None:
        return refused
    typed = form.get("user_code", "")
    flow = looked_up(request, typed)
    if flow is None:
        page_events.record(request, FAILED_DEVICE_ACTIVATION, description=INVALID_CODE)
        return activation_page(request, 400, user_code=typed, error=INVALID_CODE)
    if not form_of_this_browser(request, form):
        return stale_form(request)
    if form.get("action") == SWITCH_USER:
        return signed_out_of_tenant(request, flow)
    approved = form.get("action") == "confirm"
    session, cookie = current_session(tenant, request), None
    if session is None and not (form.get("username") and form.get("password")):
        return activation_page(request, 401, user_code=flow["user_code"], flow=flow, email=form.get("username", ""),
                               error=SIGN_IN_FIRST)
    if session is None:
        username = form.get("username", "")
        try:
            signed_in = await run_hashing_call(tenant.users.authenticate, username, form.get("password", ""),
                                               client_address(request), request.cookies.get(BROWSER_COOKIE))
        except UserBlocked as blocked:
            page_events.login_refused(request, blocked.log_type, flow["client_id"], username, USER_BLOCKED)
            return activation_page(request, 401, user_code=flow["user_code"], flow=flow, email=username,
                                   error=USER_BLOCKED)
        except LoginBlocked as blocked:
            page_events.login_refused(request, blocked.log_type, flow["client_id"], username, BLOCKED_DESCRIPTION)
            return activation_page(request, 429, user_code=flow["user_code"], flow=flow,
                                   email=form.get("username", ""), error=BLOCKED_DESCRIPTION)
        except HashingBusy as busy:
            return busy_page(partial(activation_page, request), busy, user_code=flow["user_code"], flow=flow,
                             email=form.get("username", ""))
        if signed_in.user is None:
            page_events.wrong_credentials(request, signed_in, flow["client_id"], username, WRONG_CREDENTIALS)
            return activation_page(request, 401, user_code=flow["user_code"], flow=flow,
                                   email=form.get("username", ""), error=WRONG_CREDENTIALS)
        cookie, session = start_session(tenant, request, signed_in.user.get_user_id())
    reference = tenant.store.take_grant(USER_CODE_KIND, user_code_key(typed))
    if reference is None:
        return activation_page(request, 400, user_code=typed, error=INVALID_CODE)
    tenant.store.put_grant(DECISION_KIND, reference["flow"], {
        "approved": approved, "user_id": session["user_id"], "session_id": session["sid"],
        "auth_time": session["auth_time"], "amr": session.get("amr", []),
    }, DEVICE_CODE_LIFETIME + EXPIRED_GRACE)
    if not approved:
        page_events.record(request, DEVICE_CANCELED, client_id=flow["client_id"], session_id=session["sid"],
                           user=tenant.users.by_id(session["user_id"]), description=DEVICE_CANCELED_DESCRIPTION)
    if approved:
        response = page(request, "message.html", title="Congratulations, you're all set!",
                        message="Your device is now connected. You can close this page and return to it.")
    else:
        response = page(request, "message.html", title="Device request cancelled",
                        message="The device will not get access. You can close this page.")
    if cookie:
        set_session_cookie(tenant, response, cookie)
    return response
