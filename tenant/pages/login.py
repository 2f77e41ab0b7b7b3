"""The login and sign-up page (/u/login, /u/signup) of a pending authorization."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from tenant.directory import DEMO_USERS
from tenant.endpoints.busy import HASHING_BUSY, retry_after
from tenant.endpoints.dbconnections import SIGNUPS_PER_ADDRESS
from tenant.grants.password import BLOCKED_DESCRIPTION
from tenant.http import authorize_request, client_address
from tenant.pages.authorize import complete_authorization
from tenant.pages.rendering import RETRYING_PAGE_HEADERS, error_page, page, read_form
from tenant.pages.retry_forms import seal_form, with_retried_fields
from tenant.security.hashing import HashingBusy, run_hashing_call
from tenant.security.passwords import POLICY_TEXT
from tenant.services import tenant_of
from tenant.store.sessions import BROWSER_COOKIE, set_session_cookie, start_session
from tenant.store.users import USER_BLOCKED, LoginBlocked, SignupError, UserBlocked

RETRY_EXPIRED = "Please enter your password again."
LOGIN_FIELDS = ("username", "password")
SIGNUP_FIELDS = ("email", "password")
SIGNUP_MESSAGES = {
    "user_exists": "The user already exists.",
    "invalid_signup": "Enter a valid email address.",
}


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


async def posted_form(request: Request, mode: str,
                      fields: tuple[str, ...]) -> tuple[dict[str, str], str, dict] | Response:
    """A login or sign-up form (with any sealed retry) and its pending authorization, or the page that says why not."""
    form = await read_form(request)
    if form is None:
        return error_page(request, "Invalid form", "The form could not be read.")
    state = form.get("state", "")
    transaction = login_transaction(request, state)
    if transaction is None:
        return expired_login(request)
    retried = with_retried_fields(state, form, fields)
    if retried is None:
        return login_form(request, state, 400, mode=mode, email=form.get(fields[0], ""), error=RETRY_EXPIRED)
    return retried, state, transaction


async def login_submit(request: Request) -> Response:
    """POST /u/login: check the credentials."""
    tenant = tenant_of(request)
    posted = await posted_form(request, "login", LOGIN_FIELDS)
    if isinstance(posted, Response):
        return posted
    form, state, transaction = posted
    email = form.get("username", "")
    address = client_address(request)
    try:
        user = await run_hashing_call(tenant.users.sign_in, email, form.get("password", ""), address,
                                      request.cookies.get(BROWSER_COOKIE))
    except HashingBusy as busy:
        return busy_form(request, state, busy, "login", form, LOGIN_FIELDS)
    except UserBlocked:
        return login_form(request, state, 401, mode="login", email=email, error=USER_BLOCKED)
    except LoginBlocked:
        return login_form(request, state, 429, mode="login", email=email, error=BLOCKED_DESCRIPTION)
    if user is None:
        return login_form(request, state, 401, mode="login", email=email, error="Wrong email or password.")
    return await finish_login(request, state, transaction, user.get_user_id())


async def signup_submit(request: Request) -> Response:
    """POST /u/signup: create the user, then sign them in."""
    tenant = tenant_of(request)
    posted = await posted_form(request, "signup", SIGNUP_FIELDS)
    if isinstance(posted, Response):
        return posted
    form, state, transaction = posted
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
