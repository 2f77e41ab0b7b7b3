"""The device authorization flow (RFC 8628) as Auth0 serves it: device codes, polling, and the activation page."""

import math
import secrets
import time
from functools import partial

from authlib.oauth2.rfc6749.grants import BaseGrant, TokenEndpointMixin
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tenant.config import origin_of
from tenant.directory import DEMO_USERS, DEVICE_CODE_GRANT, Client
from tenant.endpoints.dbconnections import busy_page
from tenant.grants.base import BLOCKED_DESCRIPTION, IssuesAuth0Tokens, check_audience
from tenant.security.hashing import HashingBusy, run_hashing_call
from tenant.http import BadRequest, body_parameters, client_address, known_authorize_parameters
from tenant.oauth import Auth0Error, missing_parameter, to_response
from tenant.pages.authorize import error_page, page
from tenant.services import Tenant, tenant_of
from tenant.store.sessions import (
    BROWSER_COOKIE, BROWSER_ID_PATTERN, browser_id, current_session, remember_browser, set_session_cookie,
    start_session,
)
from tenant.store.store import Store
from tenant.security.throttle import Throttle
from tenant.tokens import TokenOrder
from tenant.store.users import LoginBlocked, User

DEVICE_CODE_LIFETIME = 900
POLL_INTERVAL = 5
SLOW_DOWN_STEP = 5
# RFC 8628 lets the interval grow on each slow_down; a device that never waits still hears a bounded one.
MAX_POLL_INTERVAL = 60
# Records outlive their codes by this much, so that a late poll hears expired_token rather than invalid_grant.
EXPIRED_GRACE = 3600
# Auth0's default user-code alphabet: consonants only, so that no word can be spelt by chance.
USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
USER_CODE_LENGTH = 8
DEVICE_CODE_KIND, USER_CODE_KIND = "device_code", "device_user_code"
FLOW_KIND, PACING_KIND, DECISION_KIND = "device_flow", "device_pacing", "device_decision"
FORM_KIND = "device_form"
PENDING = "User has yet to authorize device code."
EXPIRED = "User has not authorized device code within the specified time."
DENIED = "User has denied access."
INVALID = "Invalid or expired device code."
SLOW_DOWN = "You are polling faster than the specified interval of {interval} seconds."
INVALID_CODE = "This code is invalid, expired or already used."
SIGN_IN_FIRST = "Sign in to confirm or cancel this request."
TOO_MANY_CODES_TITLE = "Too many codes tried"
TOO_MANY_CODES = "Too many codes were entered from this browser or network. Try again in {wait}."
# Device codes one address may ask for per window: a room of 100 behind one address can each start the CLI thrice.
DEVICE_CODES_PER_ADDRESS = Throttle("device-codes", 300, 15 * 60)
# Each activation form keeps a one-time token: a room's worth of pages per address, so that they cannot fill storage.
ACTIVATION_FORMS_PER_ADDRESS = Throttle("activation-forms", 1000, 15 * 60)
# User codes a browser may look up, right or wrong: a person types theirs a few times, a guesser needs millions.
CODE_LOOKUPS_PER_BROWSER = Throttle("device-code-lookups", 30, 15 * 60)
# Codes that matched nothing, per address over every browser (or none): a room behind one address mistypes a few
# each; an attacker who drops or forges the browser cookie gets no more guesses than that.
CODE_MISSES_PER_ADDRESS = Throttle("device-code-misses", 200, 15 * 60)


def now() -> float:
    """The current time, in seconds."""
    return time.time()


def new_user_code() -> str:
    """A random user code such as BDFG-HJKL."""
    code = "".join(secrets.choice(USER_CODE_ALPHABET) for _ in range(USER_CODE_LENGTH))
    return f"{code[:4]}-{code[4:]}"


def user_code_key(typed: str) -> str:
    """The user code as typed, in any case and with or without its dash or spaces."""
    return "".join(character for character in typed.upper() if character.isalnum())[:32]


def device_client(tenant: Tenant, params: dict[str, str]) -> Client:
    """The client asking for a device code, refused as Auth0 refuses it."""
    if not params.get("client_id"):
        raise missing_parameter("client_id")
    client = tenant.directory.client(params["client_id"])
    if client is None:
        raise Auth0Error("unauthorized_client", "Unknown client.", 403)
    if not client.check_grant_type(DEVICE_CODE_GRANT):
        raise Auth0Error("unauthorized_client", f"Grant type '{DEVICE_CODE_GRANT}' not allowed for the client.", 403)
    return client


def start_flow(tenant: Tenant, params: dict[str, str]) -> dict:
    """Issue a device code and a user code, and the body Auth0 answers with."""
    client = device_client(tenant, params)
    audience = params.get("audience") or None
    check_audience(tenant.directory, audience)
    device_code, user_code, flow = secrets.token_urlsafe(32), new_user_code(), secrets.token_urlsafe(16)
    lifetime = DEVICE_CODE_LIFETIME + EXPIRED_GRACE
    store = tenant.store
    store.put_grant(FLOW_KIND, flow, {"client_id": client.client_id, "scope": params.get("scope", ""),
                                      "audience": audience, "user_code": user_code,
                                      "expires_at": now() + DEVICE_CODE_LIFETIME}, lifetime)
    store.put_grant(DEVICE_CODE_KIND, device_code, {"flow": flow}, lifetime)
    store.put_grant(USER_CODE_KIND, user_code_key(user_code), {"flow": flow}, DEVICE_CODE_LIFETIME)
    verification_uri = f"{tenant.config.issuer}activate"
    return {"device_code": device_code, "user_code": user_code, "verification_uri": verification_uri,
            "expires_in": DEVICE_CODE_LIFETIME, "interval": POLL_INTERVAL,
            "verification_uri_complete": f"{verification_uri}?user_code={user_code}"}


async def device_code(request: Request) -> Response:
    """POST /oauth/device/code."""
    tenant, address = tenant_of(request), client_address(request)
    if DEVICE_CODES_PER_ADDRESS.exhausted(tenant.store, address):
        body = {"error": "too_many_requests", "error_description": "Too many device codes from your address."}
        return JSONResponse(body, status_code=429, headers=DEVICE_CODES_PER_ADDRESS.retry_after())
    DEVICE_CODES_PER_ADDRESS.count(tenant.store, address)
    try:
        params = await body_parameters(request)
        known_authorize_parameters([(name, params[name]) for name in ("scope", "audience") if name in params])
        return JSONResponse(start_flow(tenant, params))
    except BadRequest as error:
        return error.response()
    except Auth0Error as error:
        return to_response(*error())


def pace(store: Store, flow: str) -> None:
    """Refuse a poll that comes sooner than the interval, and lengthen the interval, as RFC 8628 asks."""
    moment = now()
    pacing = store.get_grant(PACING_KIND, flow) or {"last": 0.0, "interval": POLL_INTERVAL}
    too_soon = moment - pacing["last"] < pacing["interval"]
    interval = min(pacing["interval"] + SLOW_DOWN_STEP, MAX_POLL_INTERVAL) if too_soon else pacing["interval"]
    store.put_grant(PACING_KIND, flow, {"last": moment, "interval": interval}, DEVICE_CODE_LIFETIME + EXPIRED_GRACE)
    if too_soon:
        raise Auth0Error("slow_down", SLOW_DOWN.format(interval=pacing["interval"]), 429)


def poll(store: Store, code: str, client_id: str) -> dict:
    """The approved flow of a device code, or the error that tells the device what to do next."""
    reference = store.get_grant(DEVICE_CODE_KIND, code)
    flow = store.get_grant(FLOW_KIND, reference["flow"]) if reference else None
    if flow is None or flow["client_id"] != client_id:
        raise Auth0Error("invalid_grant", INVALID, 403)
    if now() >= flow["expires_at"]:
        raise Auth0Error("expired_token", EXPIRED, 403)
    pace(store, reference["flow"])
    decision = store.take_grant(DECISION_KIND, reference["flow"])
    if decision is None:
        raise Auth0Error("authorization_pending", PENDING, 403)
    store.drop_grant(DEVICE_CODE_KIND, code)
    if not decision["approved"]:
        raise Auth0Error("access_denied", DENIED, 403)
    return flow | decision


class DeviceCode(IssuesAuth0Tokens, TokenEndpointMixin, BaseGrant):
    """The device code grant at /oauth/token: public clients poll until the user has decided."""

    GRANT_TYPE = DEVICE_CODE_GRANT
    TOKEN_ENDPOINT_AUTH_METHODS = ["none", "client_secret_basic", "client_secret_post"]

    def validate_token_request(self) -> None:
        """Client and grant, then the state of the device code."""
        client = self.allowed_client()
        code = self.request.form.get("device_code")
        if not code:
            raise missing_parameter("device_code")
        flow = poll(self.services.store, code, client.client_id)
        self.request.client = client
        self.request.user = self.services.users.by_id(flow["user_id"])
        self.request.device_flow = flow
        if self.request.user is None:
            raise Auth0Error("invalid_grant", INVALID, 403)

    def create_token_response(self) -> tuple[int, dict, list]:
        """Tokens for the user who approved the device."""
        flow = self.request.device_flow
        return 200, self.generate_token(user=self.request.user, scope=flow["scope"]), self.TOKEN_RESPONSE_HEADER

    def token_order(self, user: User | None, scope: str, include_refresh_token: bool) -> TokenOrder:
        """The audience and session come from the flow the user approved."""
        flow = self.request.device_flow
        return TokenOrder(client=self.request.client, grant_type=self.GRANT_TYPE, scope=scope,
                          audience=flow["audience"], user=user, session_id=flow["session_id"],
                          auth_time=flow.get("auth_time"),
                          include_refresh_token=include_refresh_token,
                          custom_claims=self.post_login(user, scope, flow["audience"]))


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
                    client=tenant.directory.client(flow["client_id"]), form_token=form_token, **context)
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
        return activation_page(request, 400, user_code=typed, error=INVALID_CODE)
    if not form_of_this_browser(request, form):
        return stale_form(request)
    approved = form.get("action") == "confirm"
    session, cookie = current_session(tenant, request), None
    if session is None and not (form.get("username") and form.get("password")):
        return activation_page(request, 401, user_code=flow["user_code"], flow=flow, email=form.get("username", ""),
                               error=SIGN_IN_FIRST)
    if session is None:
        try:
            user = await run_hashing_call(tenant.users.sign_in, form.get("username", ""), form.get("password", ""),
                                          client_address(request), request.cookies.get(BROWSER_COOKIE))
        except LoginBlocked:
            return activation_page(request, 429, user_code=flow["user_code"], flow=flow,
                                   email=form.get("username", ""), error=BLOCKED_DESCRIPTION)
        except HashingBusy as busy:
            return busy_page(partial(activation_page, request), busy, user_code=flow["user_code"], flow=flow,
                             email=form.get("username", ""))
        if user is None:
            return activation_page(request, 401, user_code=flow["user_code"], flow=flow,
                                   email=form.get("username", ""), error="Wrong email or password.")
        cookie, session = start_session(tenant, request, user.get_user_id())
    reference = tenant.store.take_grant(USER_CODE_KIND, user_code_key(typed))
    if reference is None:
        return activation_page(request, 400, user_code=typed, error=INVALID_CODE)
    tenant.store.put_grant(DECISION_KIND, reference["flow"], {
        "approved": approved, "user_id": session["user_id"], "session_id": session["sid"],
        "auth_time": session["auth_time"],
    }, DEVICE_CODE_LIFETIME + EXPIRED_GRACE)
    if approved:
        response = page(request, "message.html", title="Congratulations, you're all set!",
                        message="Your device is now connected. You can close this page and return to it.")
    else:
        response = page(request, "message.html", title="Device request cancelled",
                        message="The device will not get access. You can close this page.")
    if cookie:
        set_session_cookie(tenant, response, cookie)
    return response
