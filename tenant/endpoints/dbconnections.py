"""The database connection: sign-up and password change (/dbconnections/...)."""

import logging
import secrets

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from tenant.directory import CONNECTION
from tenant.endpoints.busy import CONNECTION_BUSY, busy_json
from tenant.http import BadRequest, body_parameters, end_user_address
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
    address = end_user_address(request)
    if SIGNUPS_PER_ADDRESS.exhausted(tenant.store, address):
        return too_many_requests(SIGNUPS_PER_ADDRESS, "Too many sign-ups from your address; try again later.")
    SIGNUPS_PER_ADDRESS.count(tenant.store, address)
    try:
        profile = signup_profile(params)
        user = await run_hashing_call(tenant.users.sign_up, params.get("email"), params.get("password"), profile)
    except HashingBusy as busy:
        return busy_json(busy, CONNECTION_BUSY)
    except SignupError as error:
        if error.code == "invalid_password" and isinstance(error.description, dict):
            return signup_error(error.code, error.description, message="Password is too weak", policy=POLICY_TEXT)
        return signup_error(error.code, error.description)
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
            return too_many_requests(throttle, "Too many password reset requests; try again later.")
    RESETS_PER_ADDRESS.count(tenant.store, address)
    RESETS_PER_EMAIL.count(tenant.store, email)
    record = tenant.store.user_by_email(params["email"])
    if record is not None:
        ticket = secrets.token_urlsafe(32)
        tenant.store.put_reset_ticket(record.id, ticket, RESET_LIFETIME)
        logger.warning("Password reset link for %s: %slo/reset?ticket=%s", record.email, tenant.config.issuer, ticket)
    return PlainTextResponse(CHANGE_PASSWORD_REPLY)
