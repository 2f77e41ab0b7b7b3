"""The tenant's browser-facing side: /authorize, its login and sign-up page, logout and password reset."""

import re
import secrets
import time
from functools import partial
from urllib.parse import parse_qsl, urlencode

from authlib.oauth2.rfc6749 import OAuth2Error
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tenant.store.consents import CONSENT_STEP, needs_consent, remember_consent, requested_consent
from tenant.directory import DEMO_USERS
from tenant.endpoints.dbconnections import HASHING_BUSY, SIGNUPS_PER_ADDRESS, busy_page, retry_after
from tenant.grants.base import BLOCKED_DESCRIPTION
from tenant.security.hashing import HashingBusy, run_hashing_call
from tenant.http import (
    MAX_PARAMETERS, BadRequest, authorize_request, body_parameters, client_address, known_authorize_parameters,
    whole_number,
)
from tenant.oauth import Auth0Error, TenantRequest, missing_parameter, redirect_error
from tenant.security.passwords import POLICY_TEXT, check_policy
from tenant.pages.response_modes import RESPONSE_MODES, deliver
from tenant.pages.retry_forms import seal_form, with_retried_fields
from tenant.services import TEMPLATES, Tenant, tenant_of
from tenant.store.sessions import (
    BROWSER_COOKIE, SESSION_KIND, browser_id, current_session, remember_browser, set_session_cookie, start_session,
)
from tenant.store.users import LoginBlocked, SignupError

LOGIN_LIFETIME = 30 * 60
# Pending logins kept per browser and per address (a workshop room may share one); the oldest go first.
MAX_PENDING_PER_BROWSER = 10
MAX_PENDING_PER_ADDRESS = 500
PAGE_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}
# The busy form's script (assets/retry.js) sends it again by itself.
RETRYING_PAGE_HEADERS = {
    **PAGE_HEADERS,
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'",
}
RETRY_EXPIRED = "Please enter your password again."
LOGIN_FIELDS = ("username", "password")
SIGNUP_FIELDS = ("email", "password")
SIGNUP_MESSAGES = {
    "user_exists": "The user already exists.",
    "invalid_signup": "Enter a valid email address.",
}
AVATAR_PATTERN = re.compile(r"^[a-z]{1,2}$")
PROMPT_NONE_ALONE = "prompt=none cannot be combined with other prompt values"


def page(request: Request, template: str, status_code: int = 200, headers: dict[str, str] | None = None,
         **context: object) -> Response:
    """A tenant page, framed by nobody."""
    return TEMPLATES.TemplateResponse(request, template, {"tenant": tenant_of(request), **context},
                                      status_code=status_code, headers={**PAGE_HEADERS, **(headers or {})})


def error_page(request: Request, title: str, message: str, status_code: int = 400) -> Response:
    """An error shown to the person in the browser, with no redirect (the redirect target is not trusted)."""
    return page(request, "message.html", status_code, title=title, message=message, is_error=True)


def authorization_error_page(request: Request, error: OAuth2Error) -> Response:
    """Auth0's page for an authorization request it cannot send back to the client."""
    description = error.description or error.error
    if error.error == "invalid_client":
        return error_page(request, "Unknown client", f"{description} Check the client_id the application sends.")
    if "Redirect URI" in description:
        return error_page(request, "Callback URL mismatch",
                          f"{description} Add it to the application's Allowed Callback URLs, exactly as sent.")
    if error.error == "unauthorized_client":
        return error_page(request, "Unauthorized client", description, 403)
    return error_page(request, "Invalid authorization request", description)


def client_refusal(tenant: Tenant, params: dict[str, str]) -> Auth0Error | None:
    """Auth0's refusal of a missing response type, or of one the client may not use."""
    response_type = params.get("response_type")
    if not response_type:
        return missing_parameter("response_type")
    client = tenant.directory.client(params.get("client_id"))
    known = any(other.check_response_type(response_type) for other in tenant.directory.clients.values())
    if client is not None and known and not client.check_response_type(response_type):
        grant = "authorization_code" if response_type == "code" else "implicit"
        return Auth0Error("unauthorized_client", f"Grant type '{grant}' not allowed for the client.", 403)
    return None


def complete_authorization(request: Request, oauth_request: TenantRequest, session: dict,
                           consented: bool = False) -> Response:
    """Redirect back to the client with a code or tokens for the signed-in user, once they consented if asked to."""
    tenant = tenant_of(request)
    user = tenant.users.by_id(session["user_id"])
    oauth_request.session_id = session["sid"]
    oauth_request.auth_time = session["auth_time"]
    try:
        grant = tenant.server.get_consent_grant(oauth_request, end_user=user)
    except OAuth2Error as error:
        return send_back(request, oauth_request, redirect_error(error, oauth_request.payload.state)) \
            or authorization_error_page(request, error)
    ask = requested_consent(oauth_request, grant.redirect_uri, user.get_user_id())
    if consented and ask is not None:
        remember_consent(tenant.store, ask)
    elif needs_consent(tenant.store, ask, oauth_request.payload.data.get("prompt", "")):
        return ask_consent(request, oauth_request, grant, user.get_user_id())
    response = tenant.server.create_authorization_response(oauth_request, grant_user=user, grant=grant)
    return send_back(request, oauth_request, response)


def ask_consent(request: Request, oauth_request: TenantRequest, grant: object, user_id: str) -> Response:
    """Send the browser to the consent screen; with `prompt=none`, answer `consent_required` instead."""
    if oauth_request.payload.data.get("prompt") == "none":
        return send_back(request, oauth_request, redirect_error(
            grant_error(grant, "consent_required", "Consent required"), oauth_request.payload.state))
    pairs = [(name, value) for name, values in oauth_request.payload.datalist.items() for value in values]
    return pending_step(request, "u/consent", {"query": pairs, "user_id": user_id, "step": CONSENT_STEP})


def pending_step(request: Request, path: str, data: dict) -> Response:
    """Keep a pending authorization for this browser, and send the browser to the page that goes on with it."""
    tenant = tenant_of(request)
    transaction = secrets.token_urlsafe(24)
    browser = browser_id(request)
    tenant.store.put_login_transaction(transaction, {**data, "browser": browser}, LOGIN_LIFETIME, browser,
                                       client_address(request), MAX_PENDING_PER_BROWSER, MAX_PENDING_PER_ADDRESS)
    response = RedirectResponse(f"{tenant.config.issuer}{path}?{urlencode({'state': transaction})}", 302)
    remember_browser(tenant, response, browser)
    return response


def send_back(request: Request, oauth_request: TenantRequest, response: Response | None) -> Response | None:
    """A response for the client, delivered the way its response_mode asks."""
    if response is None:
        return None
    return deliver(request, oauth_request.payload.data.get("response_mode"), oauth_request.client,
                   oauth_request.payload.redirect_uri, response)


def query_pairs(query: str) -> list[tuple[str, str]]:
    """The query string's parameters."""
    return parse_qsl(query, keep_blank_values=True, max_num_fields=MAX_PARAMETERS)


def session_is_fresh(session: dict, prompt: str, max_age: str | None) -> bool:
    """Whether the tenant session answers this request without the login form (`prompt=login`, `max_age`)."""
    if "login" in prompt.split():
        return False
    return max_age is None or time.time() - session["auth_time"] < (whole_number(max_age) or 0)


def request_refusal(params: dict[str, str]) -> str | None:
    """What is wrong with the request's prompt, max_age or response_mode, if anything."""
    prompts = params.get("prompt", "").split()
    if "none" in prompts and len(prompts) > 1:
        return PROMPT_NONE_ALONE
    max_age = params.get("max_age")
    if max_age is not None and whole_number(max_age) is None:
        return "max_age must be a whole number of seconds"
    mode = params.get("response_mode")
    if mode is not None and mode not in RESPONSE_MODES:
        return f"Unsupported response_mode: {mode[:40]}. Use one of {', '.join(RESPONSE_MODES)}."
    return None


def grant_error(grant: object, error: str, description: str) -> Auth0Error:
    """An authorization error to send back to the client's checked redirect URI."""
    return Auth0Error(error, description, redirect_uri=grant.redirect_uri,
                      redirect_fragment=grant.ERROR_RESPONSE_FRAGMENT)


def begin_authorization(request: Request, pairs: list[tuple[str, str]]) -> Response:
    """Check the request; reuse the tenant session, or send the browser to the login page."""
    tenant = tenant_of(request)
    oauth_request = authorize_request(request, pairs, tenant.config.issuer)
    state = oauth_request.payload.state
    refusal = client_refusal(tenant, oauth_request.payload.data)
    if refusal is not None:
        return authorization_error_page(request, refusal)
    try:
        grant = tenant.server.get_consent_grant(oauth_request)
    except OAuth2Error as error:
        return send_back(request, oauth_request, redirect_error(error, state)) or authorization_error_page(request, error)
    params = oauth_request.payload.data
    refusal = request_refusal(params)
    if refusal is not None:
        return send_back(request, oauth_request, redirect_error(grant_error(grant, "invalid_request", refusal), state))
    session = current_session(tenant, request)
    if session is not None and session_is_fresh(session, params.get("prompt", ""), params.get("max_age")):
        return complete_authorization(request, oauth_request, session)
    if params.get("prompt") == "none":
        return send_back(request, oauth_request, redirect_error(grant_error(grant, "login_required", "Login required"),
                                                                state))
    return pending_step(request, "u/login", {"query": pairs})


async def authorize(request: Request) -> Response:
    """GET /authorize."""
    try:
        pairs = query_pairs(request.url.query)
    except ValueError:
        return error_page(request, "Invalid authorization request", "Too many parameters.")
    try:
        return await run_in_threadpool(begin_authorization, request, known_authorize_parameters(pairs))
    except BadRequest as error:
        return error_page(request, "Invalid authorization request", error.description)


def login_transaction(request: Request, state: object, step: str = "login") -> dict | None:
    """The pending authorization a login (or consent) form belongs to, if it is this browser's and still live."""
    if not isinstance(state, str) or not state:
        return None
    transaction = tenant_of(request).store.login_transaction(state)
    if transaction is None or transaction["browser"] != request.cookies.get(BROWSER_COOKIE) \
            or transaction.get("step", "login") != step:
        return None
    return transaction


def expired_login(request: Request) -> Response:
    """The page for a login form whose authorization request is gone."""
    return error_page(request, "This login page has expired",
                      "Go back to the application and press Log in again.")


def login_form(request: Request, state: str, status_code: int = 200, headers: dict[str, str] | None = None,
               **context: object) -> Response:
    """The login and sign-up page."""
    tenant = tenant_of(request)
    transaction = tenant.store.login_transaction(state) or {"query": []}
    client = tenant.directory.client(dict(transaction["query"]).get("client_id"))
    return page(request, "login.html", status_code, headers, state=state, client=client, demo_users=DEMO_USERS,
                policy=POLICY_TEXT, **context)


def busy_form(request: Request, state: str, busy: HashingBusy, mode: str, form: dict[str, str],
              names: tuple[str, ...]) -> Response:
    """The form again with 503 and Retry-After, saying that the tenant is busy; it re-sends what was typed itself."""
    typed = {name: form.get(name, "") for name in names}
    headers = {**RETRYING_PAGE_HEADERS, **retry_after(busy)}
    return login_form(request, state, 503, headers, error=HASHING_BUSY, mode=mode, email=typed[names[0]],
                      retry=seal_form(state, typed), retry_after=busy.retry_after)


async def login_page(request: Request) -> Response:
    """GET /u/login: the form."""
    state = request.query_params.get("state", "")
    transaction = login_transaction(request, state)
    if transaction is None:
        return expired_login(request)
    asked = dict(transaction["query"])
    screen = request.query_params.get("screen_hint") or asked.get("screen_hint")
    return login_form(request, state, mode="signup" if screen == "signup" else "login",
                      email=asked.get("login_hint", "")[:320])


async def finish_login(request: Request, state: str, transaction: dict, user_id: str) -> Response:
    """Start the tenant session and finish the pending authorization."""
    tenant = tenant_of(request)
    tenant.store.drop_login_transaction(state)
    oauth_request = authorize_request(request, [tuple(pair) for pair in transaction["query"]], tenant.config.issuer)
    cookie, session = start_session(tenant, request, user_id)
    response = await run_in_threadpool(complete_authorization, request, oauth_request, session)
    set_session_cookie(tenant, response, cookie)
    return response


async def read_form(request: Request) -> dict[str, str] | None:
    """The posted form, or None when it cannot be read."""
    try:
        return await body_parameters(request)
    except BadRequest:
        return None


async def posted_form(request: Request) -> tuple[dict[str, str], str, dict] | Response:
    """A login or sign-up form with its pending authorization, or the page that says why it cannot go on."""
    form = await read_form(request)
    if form is None:
        return error_page(request, "Invalid form", "The form could not be read.")
    state = form.get("state", "")
    transaction = login_transaction(request, state)
    if transaction is None:
        return expired_login(request)
    return form, state, transaction


async def login_submit(request: Request) -> Response:
    """POST /u/login: check the credentials."""
    tenant = tenant_of(request)
    posted = await posted_form(request)
    if isinstance(posted, Response):
        return posted
    form, state, transaction = posted
    form = with_retried_fields(state, form, LOGIN_FIELDS)
    if form is None:
        return login_form(request, state, 400, mode="login", email=posted[0].get("username", ""), error=RETRY_EXPIRED)
    email = form.get("username", "")
    address = client_address(request)
    try:
        user = await run_hashing_call(tenant.users.sign_in, email, form.get("password", ""), address,
                                      request.cookies.get(BROWSER_COOKIE))
    except HashingBusy as busy:
        return busy_form(request, state, busy, "login", form, LOGIN_FIELDS)
    except LoginBlocked:
        return login_form(request, state, 429, mode="login", email=email, error=BLOCKED_DESCRIPTION)
    if user is None:
        return login_form(request, state, 401, mode="login", email=email, error="Wrong email or password.")
    return await finish_login(request, state, transaction, user.get_user_id())


async def signup_submit(request: Request) -> Response:
    """POST /u/signup: create the user, then sign them in."""
    tenant = tenant_of(request)
    posted = await posted_form(request)
    if isinstance(posted, Response):
        return posted
    form, state, transaction = posted
    form = with_retried_fields(state, form, SIGNUP_FIELDS)
    if form is None:
        return login_form(request, state, 400, mode="signup", email=posted[0].get("email", ""), error=RETRY_EXPIRED)
    email, address = form.get("email", ""), client_address(request)
    if SIGNUPS_PER_ADDRESS.exhausted(tenant.store, address):
        return login_form(request, state, 429, mode="signup", email=email,
                          error="Too many sign-ups from your address; try again later.")
    SIGNUPS_PER_ADDRESS.count(tenant.store, address)
    try:
        user = await run_hashing_call(tenant.users.sign_up, email, form.get("password", ""))
    except HashingBusy as busy:
        return busy_form(request, state, busy, "signup", form, SIGNUP_FIELDS)
    except SignupError as error:
        message = SIGNUP_MESSAGES.get(error.code, "The password is too weak.")
        return login_form(request, state, 400, mode="signup", email=email, error=message,
                          show_policy=error.code == "invalid_password")
    return await finish_login(request, state, transaction, user.get_user_id())


async def reset_page(request: Request) -> Response:
    """GET /lo/reset: the form to choose a new password."""
    ticket = request.query_params.get("ticket", "")
    if not ticket or tenant_of(request).store.reset_ticket_user(ticket) is None:
        return error_page(request, "This link has expired", "Ask for a new password reset email.")
    return page(request, "reset.html", ticket=ticket, policy=POLICY_TEXT)


async def reset_submit(request: Request) -> Response:
    """POST /lo/reset: set the new password."""
    tenant = tenant_of(request)
    form = await read_form(request)
    ticket = (form or {}).get("ticket", "")
    if not ticket or tenant.store.reset_ticket_user(ticket) is None:
        return error_page(request, "This link has expired", "Ask for a new password reset email.")
    password = form.get("password", "")
    if not check_policy(password).ok:
        return page(request, "reset.html", 400, ticket=ticket, policy=POLICY_TEXT, error="The password is too weak.")
    try:
        # Hashed before the ticket is used up, so that a busy tenant leaves the link working.
        password_hash = await run_hashing_call(tenant.users.passwords.hash, password, True)
    except HashingBusy as busy:
        return busy_page(partial(page, request, "reset.html"), busy, ticket=ticket, policy=POLICY_TEXT)
    user_id = tenant.store.take_reset_ticket(ticket)
    if user_id is None:
        return error_page(request, "This link has expired", "Ask for a new password reset email.")
    tenant.store.set_password(user_id, password_hash)
    # Whoever knew the old password (or holds another reset link) is signed out everywhere.
    tenant.store.revoke_user_credentials(user_id, (SESSION_KIND,))
    return page(request, "message.html", title="Password changed", message="You can now log in with it.")


async def avatar(request: Request) -> Response:
    """A generated avatar with the user's initials, so profile pictures need no outside host."""
    initials = request.path_params["initials"]
    if not AVATAR_PATTERN.match(initials):
        return Response("Not Found", status_code=404)
    hue = sum(map(ord, initials)) * 47 % 360
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">'
        f'<rect width="96" height="96" rx="48" fill="hsl({hue},55%,45%)"/>'
        '<text x="48" y="60" font-family="sans-serif" font-size="38" fill="#fff" text-anchor="middle">'
        f"{initials.upper()}</text></svg>"
    )
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})
