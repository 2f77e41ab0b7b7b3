"""The MFA pages of a pending login: enroll an authenticator app (/u/mfa-otp-enrollment), then a code at each login
that needs one (/u/mfa-otp-challenge), or the recovery code; /u/mfa-continue goes on after a recovery code is shown."""

from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tenant.grants.password import BLOCKED_DESCRIPTION
from tenant.http import authorize_request, client_address
from tenant.mfa.attempts import checked_with_lockout
from tenant.mfa.authenticators import TooManyEnrollments
from tenant.mfa.policy import MFA_METHOD
from tenant.mfa.totp import grouped, provisioning_uri, qr_code_data_uri
from tenant.pages.activation import from_another_site
from tenant.actions.engine import CustomClaims
from tenant.pages.authorize import MFA_CHALLENGE_PATH, MFA_STEP, complete_authorization
from tenant.pages.consent import ANOTHER_SITE, ANOTHER_SITE_TITLE, expired_consent
from tenant.pages.login import login_transaction
from tenant.pages.rendering import error_page, page, read_form
from tenant.services import tenant_of
from tenant.store.sessions import BROWSER_COOKIE, current_session, record_second_factor
from tenant.store.users import LoginBlocked, User

ISSUER_NAME = "Playground demo tenant"
WRONG_CODE = "That code is not right, or was already used. Enter the newest code your app shows."
WRONG_RECOVERY_CODE = "That recovery code is not right."
TOO_MANY_ENROLLMENTS = "Too many new enrollments for this account; try again in a quarter of an hour."
MAX_CODE_LENGTH = 64


def pending_mfa(request: Request, state: object) -> tuple[dict, dict, User] | None:
    """The pending login, the session and the user asked for a second factor, if this browser may answer."""
    transaction = login_transaction(request, state, MFA_STEP)
    if transaction is None:
        return None
    tenant = tenant_of(request)
    session = current_session(tenant, request)
    if session is None or session["user_id"] != transaction["user_id"]:
        return None
    user = tenant.users.by_id(session["user_id"])
    return (transaction, session, user) if user is not None else None


def enrollment_page(request: Request, state: str, user: User, status_code: int = 200, **context: object) -> Response:
    """The QR code and the secret of the user's pending enrollment (a new one when none is pending)."""
    authenticators = tenant_of(request).authenticators
    secret = authenticators.pending_secret(user.get_user_id())
    if secret is None:
        try:
            enrollment = authenticators.begin(user.get_user_id())
        except TooManyEnrollments:
            return error_page(request, "Please wait", TOO_MANY_ENROLLMENTS, 429)
        if enrollment is None:
            return go_to(request, MFA_CHALLENGE_PATH, state)
        secret = enrollment.secret
    uri = provisioning_uri(secret, user.record.email, ISSUER_NAME)
    return page(request, "mfa_enroll.html", status_code, state=state, email=user.record.email,
                qr_code=qr_code_data_uri(uri), secret=grouped(secret), otpauth_uri=uri, **context)


def go_to(request: Request, path: str, state: str) -> Response:
    """Redirect to another MFA page of the same pending login."""
    return RedirectResponse(f"{tenant_of(request).config.issuer}{path}?state={state}", 303)


async def enrollment_get(request: Request) -> Response:
    """GET /u/mfa-otp-enrollment: scan the QR code (or type the secret), then enter the first code."""
    state = request.query_params.get("state", "")
    pending = pending_mfa(request, state)
    if pending is None:
        return expired_consent(request)
    return enrollment_page(request, state, pending[2])


async def challenge_get(request: Request) -> Response:
    """GET /u/mfa-otp-challenge: the code from the app, or (with ?recovery=1) the recovery code."""
    state = request.query_params.get("state", "")
    if pending_mfa(request, state) is None:
        return expired_consent(request)
    return page(request, "mfa_challenge.html", state=state, recovery=request.query_params.get("recovery") == "1")


async def posted_mfa(request: Request) -> tuple[dict[str, str], str, dict, dict, User] | Response:
    """A posted MFA form from this tenant's own page, with its pending login, or the page that says why not."""
    if from_another_site(request):
        return error_page(request, ANOTHER_SITE_TITLE, ANOTHER_SITE, 403)
    form = await read_form(request)
    if form is None:
        return error_page(request, "Invalid form", "The form could not be read.")
    state = form.get("state", "")
    pending = pending_mfa(request, state)
    if pending is None:
        return expired_consent(request)
    return (form, state, *pending)


def checked(request: Request, user: User, check: Callable[[], bool]) -> bool | None:
    """Run a code check as a login attempt of the user's (None: the account is locked for this browser)."""
    try:
        return checked_with_lockout(tenant_of(request).store, user.record.email, client_address(request),
                                    request.cookies.get(BROWSER_COOKIE), check)
    except LoginBlocked:
        return None


async def passed(request: Request, state: str, transaction: dict, session: dict) -> Response:
    """The second factor is proven: the session says so, and the login goes on to the application."""
    tenant = tenant_of(request)
    session = record_second_factor(tenant, request, session, MFA_METHOD)
    tenant.store.drop_login_transaction(state)
    oauth_request = authorize_request(request, [tuple(pair) for pair in transaction["query"]], tenant.config.issuer)
    done = transaction.get("actions_result")
    return await run_in_threadpool(complete_authorization, request, oauth_request, session, False,
                                   CustomClaims(**done) if done is not None else None)


async def enrollment_submit(request: Request) -> Response:
    """POST /u/mfa-otp-enrollment: the first code confirms the app; the recovery code is shown once."""
    posted = await posted_mfa(request)
    if isinstance(posted, Response):
        return posted
    form, state, transaction, session, user = posted
    authenticators = tenant_of(request).authenticators
    code = form.get("code", "")[:MAX_CODE_LENGTH]
    right = await run_in_threadpool(checked, request, user, lambda: authenticators.check_code(user.get_user_id(), code))
    if right is None:
        return enrollment_page(request, state, user, 429, error=BLOCKED_DESCRIPTION)
    if not right:
        return enrollment_page(request, state, user, 400, error=WRONG_CODE)
    record_second_factor(tenant_of(request), request, session, MFA_METHOD)
    recovery = authenticators.new_recovery_code(user.get_user_id())
    return page(request, "mfa_recovery.html", state=state, recovery_code=recovery, enrolled=True)


async def challenge_submit(request: Request) -> Response:
    """POST /u/mfa-otp-challenge: the app's code, or the recovery code (which is replaced, and the new one shown)."""
    posted = await posted_mfa(request)
    if isinstance(posted, Response):
        return posted
    form, state, transaction, session, user = posted
    authenticators = tenant_of(request).authenticators
    recovery = "recovery_code" in form
    typed = form.get("recovery_code" if recovery else "code", "")[:MAX_CODE_LENGTH]
    replacement: list[str] = []

    def check() -> bool:
        if not recovery:
            return authenticators.check_code(user.get_user_id(), typed)
        new_code = authenticators.use_recovery_code(user.get_user_id(), typed)
        replacement.extend([new_code] if new_code else [])
        return new_code is not None

    right = await run_in_threadpool(checked, request, user, check)
    if not right:
        error = BLOCKED_DESCRIPTION if right is None else WRONG_RECOVERY_CODE if recovery else WRONG_CODE
        return page(request, "mfa_challenge.html", 429 if right is None else 400, state=state, recovery=recovery,
                    error=error)
    if recovery:
        record_second_factor(tenant_of(request), request, session, MFA_METHOD)
        return page(request, "mfa_recovery.html", state=state, recovery_code=replacement[0], enrolled=False)
    return await passed(request, state, transaction, session)


async def continue_submit(request: Request) -> Response:
    """POST /u/mfa-continue: after the recovery code was shown, on to the application."""
    posted = await posted_mfa(request)
    if isinstance(posted, Response):
        return posted
    _, state, transaction, session, _ = posted
    if MFA_METHOD not in session.get("amr", []):
        return go_to(request, MFA_CHALLENGE_PATH, state)
    return await passed(request, state, transaction, session)

