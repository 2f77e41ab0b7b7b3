"""The database connection: sign-up and password change (/dbconnections/...)."""

import logging
import secrets

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from tenant.directory import CONNECTION
from tenant.endpoints.busy import CONNECTION_BUSY, busy_json
from tenant.http import BadRequest, body_parameters, end_user_address
from tenant.logs import page_events
from tenant.logs.codes import BLOCKED_ADDRESS, FAILED_CHANGE_PASSWORD_REQUEST
from tenant.security.hashing import HashingBusy, run_hashing_call
from tenant.security.passwords import POLICY_TEXT
from tenant.security.throttle import SlidingThrottle, Throttle
from tenant.services import Tenant, tenant_of
from tenant.signup_profile import signup_profile
from tenant.store.users import SignupError

logger = logging.getLogger("tenant")
RESET_LIFETIME = 86_400
# A room of 100 behind one address signs up once or twice each; one client cannot create accounts by the thousand.
SIGNUPS_PER_ADDRESS = SlidingThrottle("signups", 300, 15 * 60)
# Each reset writes a link to the log (an email on Auth0): a few per account, a room's worth per address.
RESETS_PER_EMAIL = Throttle("resets-per-email", 5, 15 * 60)
RESETS_PER_ADDRESS = Throttle("resets-per-address", 100, 15 * 60)
CHANGE_PASSWORD_REPLY = "We've just sent you an email to reset your password."
TOO_MANY_SIGNUPS = "Too many sign-ups from your address; try again later."
TOO_MANY_RESETS = "Too many password reset requests; try again later."
NO_SUCH_USER = "There is no user with this email."


def signup_failure(error: SignupError) -> str:
    """A refused sign-up's reason in one line, for the logs."""
    return "Password is too weak" if isinstance(error.description, dict) else str(error.description)


def signup_error(code: str, description: object, **extra: object) -> JSONResponse:
    """Auth0's 400 body for a refused sign-up."""
    name = "PasswordStrengthError" if code == "invalid_password" and isinstance(description, dict) else "BadRequestError"
    body = {"name": name, "code": code, "description": description, **extra, "statusCode": 400}
    return JSONResponse(body, status_code=400)


def check_connection(tenant: Tenant, params: dict[str, str], client_required: bool = True) -> JSONResponse | None:
    """The client and connection of a database-connection request, or the error that names what is wrong."""
    if not params.get("client_id"):
        if client_required:
            return signup_error("invalid_request", "Missing required parameter: client_id")
    elif tenant.directory.client(params["client_id"]) is None:
        return signup_error("invalid_client", f"Unknown client: {params['client_id']}")
    if params.get("connection") != CONNECTION:
        return signup_error("invalid_connection", f"Connection not found: use {CONNECTION}")
    return None


def too_many_requests(throttle: Throttle | SlidingThrottle, description: str) -> JSONResponse:
    """Auth0's 429 for a database-connection request over its limit."""
    body = {"name": "TooManyRequestsError", "code": "too_many_requests", "description": description,
            "statusCode": 429}
    return JSONResponse(body, status_code=429, headers=throttle.retry_after())


async def connection_request(request: Request, client_required: bool = True) -> dict[str, str] | JSONResponse:
    """The parameters of a database-connection request, or the error that says what is wrong with it."""
    try:
        params = await body_parameters(request)
    except BadRequest as error:
        return signup_error("invalid_body", error.description)
    return check_connection(tenant_of(request), params, client_required) or params


async def dbconnections_signup(request: Request) -> JSONResponse:
    """Create a user in the database connection."""
    tenant = tenant_of(request)
    params = await connection_request(request)
    if isinstance(params, JSONResponse):
        return params
    address, client_id, email = end_user_address(request), params.get("client_id"), params.get("email")
    if SIGNUPS_PER_ADDRESS.exhausted(tenant.store, address):
        page_events.login_refused(request, BLOCKED_ADDRESS, client_id, email, TOO_MANY_SIGNUPS)
        return too_many_requests(SIGNUPS_PER_ADDRESS, TOO_MANY_SIGNUPS)
    SIGNUPS_PER_ADDRESS.count(tenant.store, address)
    try:
        profile = signup_profile(params)
        user = await run_hashing_call(tenant.users.sign_up, params.get("email"), params.get("password"), profile)
    except HashingBusy as busy:
        return busy_json(busy, CONNECTION_BUSY)
    except SignupError as error:
        page_events.signed_up(request, client_id, email, None, signup_failure(error))
        if error.code == "invalid_password" and isinstance(error.description, dict):
            return signup_error(error.code, error.description, message="Password is too weak", policy=POLICY_TEXT)
        return signup_error(error.code, error.description)
    page_events.signed_up(request, client_id, email, user)
    record = user.record
    return JSONResponse({"_id": record.id, "email_verified": record.email_verified, "email": record.email, **profile})


async def dbconnections_change_password(request: Request) -> Response:
    """Start a password reset (client_id optional, as on Auth0); the reset link is written to the server log."""
    tenant = tenant_of(request)
    params = await connection_request(request, client_required=False)
    if isinstance(params, JSONResponse):
        return params
    if not params.get("email"):
        return signup_error("invalid_request", "Missing required parameter: email")
    address, email = end_user_address(request), params["email"].lower()
    for throttle, subject in ((RESETS_PER_ADDRESS, address), (RESETS_PER_EMAIL, email)):
        if throttle.exhausted(tenant.store, subject):
            page_events.record(request, FAILED_CHANGE_PASSWORD_REQUEST, client_id=params.get("client_id"),
                               user_name=email, description=TOO_MANY_RESETS)
            return too_many_requests(throttle, TOO_MANY_RESETS)
    RESETS_PER_ADDRESS.count(tenant.store, address)
    RESETS_PER_EMAIL.count(tenant.store, email)
    record = tenant.store.user_by_email(params["email"])
    page_events.reset_requested(request, params.get("client_id"), email, record, NO_SUCH_USER)
    if record is not None:
        ticket = secrets.token_urlsafe(32)
        tenant.store.put_reset_ticket(record.id, ticket, RESET_LIFETIME)
        logger.warning("Password reset link for %s: %slo/reset?ticket=%s", record.email, tenant.config.issuer, ticket)
    return PlainTextResponse(CHANGE_PASSWORD_REPLY)
