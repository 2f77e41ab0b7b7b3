"""Auth0's MFA API for an mfa_token: /mfa/authenticators, /mfa/associate (an authenticator app) and /mfa/challenge."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tenant.http import BadRequest, body_parameters, json_document, read_body
from tenant.mfa.authenticators import TooManyEnrollments
from tenant.mfa.tokens import mfa_login
from tenant.mfa.totp import provisioning_uri
from tenant.pages.mfa import ISSUER_NAME
from tenant.services import tenant_of

NO_MFA_TOKEN = "Send the mfa_token as a Bearer token in the Authorization header."
INVALID_MFA_TOKEN = "The mfa_token is invalid or has expired (it lasts 10 minutes)."
OTP_ONLY = "This tenant offers the authenticator app only: send authenticator_types [\"otp\"]."
ALREADY_ENROLLED = "User is already enrolled."
NOT_ENROLLED = "User is not enrolled with an authenticator app: use /mfa/associate first."
CHALLENGE_TYPES = "This tenant offers challenge_type otp only."
WRONG_CLIENT = "The mfa_token was not issued to this client."
TOO_MANY_ENROLLMENTS = "Too many enrollments for this user; try again in a quarter of an hour."


def error(status: int, code: str, description: str, **headers: str) -> JSONResponse:
    """An error body as Auth0's Authentication API words it."""
    return JSONResponse({"error": code, "error_description": description}, status_code=status, headers=headers)


def bearer_login(request: Request) -> dict | Response:
    """The half-done login of the request's Bearer mfa_token, or the 401 that says why not."""
    scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return error(401, "invalid_request", NO_MFA_TOKEN, **{"WWW-Authenticate": 'Bearer realm="mfa"'})
    login = mfa_login(tenant_of(request).store, token.strip())
    if login is None:
        return error(401, "invalid_token", INVALID_MFA_TOKEN,
                     **{"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return login


async def authenticators(request: Request) -> Response:
    """GET /mfa/authenticators: the user's authenticators (an empty list before enrolling)."""
    login = await run_in_threadpool(bearer_login, request)
    if isinstance(login, Response):
        return login
    listed = await run_in_threadpool(tenant_of(request).authenticators.listing, login["user_id"])
    return JSONResponse(listed)


async def associate(request: Request) -> Response:
    """POST /mfa/associate: a new authenticator app, its secret, QR code URI and recovery code; the first code sent
    with the mfa-otp grant confirms it."""
    login = await run_in_threadpool(bearer_login, request)
    if isinstance(login, Response):
        return login
    try:
        body = json_document(await read_body(request) or b"{}")
    except BadRequest as refused:
        return refused.response()
    types = body.get("authenticator_types") if isinstance(body, dict) else None
    if not isinstance(types, list) or "otp" not in types:
        return error(400, "invalid_request", OTP_ONLY)
    tenant = tenant_of(request)
    try:
        enrollment = await run_in_threadpool(tenant.authenticators.begin, login["user_id"])
    except TooManyEnrollments:
        return error(429, "too_many_attempts", TOO_MANY_ENROLLMENTS)
    if enrollment is None:
        return error(403, "access_denied", ALREADY_ENROLLED)
    user = tenant.store.user_by_id(login["user_id"])
    return JSONResponse({
        "authenticator_type": "otp", "secret": enrollment.secret,
        "barcode_uri": provisioning_uri(enrollment.secret, user.email if user else "", ISSUER_NAME),
        "recovery_codes": [enrollment.recovery_code],
    })


async def challenge(request: Request) -> Response:
    """POST /mfa/challenge: say which factor the user will answer with (the app's code: nothing is sent)."""
    try:
        form = await body_parameters(request)
    except BadRequest as refused:
        return refused.response()
    tenant = tenant_of(request)
    login = mfa_login(tenant.store, form.get("mfa_token"))
    if login is None:
        return error(403, "invalid_grant", "Malformed mfa_token")
    client = tenant.directory.client(form.get("client_id"))
    if client is None or client.client_id != login["client_id"] or (
            not client.is_public and not client.check_client_secret(form.get("client_secret", ""))):
        return error(401, "invalid_client", WRONG_CLIENT)
    if "otp" not in form.get("challenge_type", "otp").split():
        return error(400, "unsupported_challenge_type", CHALLENGE_TYPES)
    if not await run_in_threadpool(tenant.authenticators.enrolled, login["user_id"]) \
            and tenant.authenticators.pending_secret(login["user_id"]) is None:
        return error(400, "invalid_request", NOT_ENROLLED)
    return JSONResponse({"challenge_type": "otp"})
