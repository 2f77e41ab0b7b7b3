"""The tenant's JSON endpoints: discovery, keys, token, userinfo and the database connection."""

import logging
import secrets
from collections.abc import Callable

from authlib.oauth2.rfc6749 import OAuth2Error
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from tenant.directory import CONNECTION, DEVICE_CODE_GRANT, OIDC_SCOPES, PASSWORD_REALM_GRANT
from tenant.grants.base import PKCE_METHOD
from tenant.security.hashing import HashingBusy, run_hashing_call
from tenant.http import BadRequest, body_parameters, end_user_address, token_request, unreadable_basic_credentials
from tenant.oauth import TenantRequest, missing_parameter, to_response
from tenant.security.passwords import POLICY_TEXT
from tenant.pages.response_modes import RESPONSE_MODES
from tenant.store.revocations import grant_of
from tenant.services import Tenant, tenant_of
from tenant.signup_profile import signup_profile
from tenant.tokens import read_access_token
from tenant.security.throttle import SlidingThrottle, Throttle
from tenant.store.users import SignupError

logger = logging.getLogger("tenant")
RESET_LIFETIME = 86_400
# A room of 100 behind one address signs up once or twice each; one client cannot create accounts by the thousand.
SIGNUPS_PER_ADDRESS = SlidingThrottle("signups", 300, 15 * 60)
# Each reset writes a link to the log (an email on Auth0): a few per account, a room's worth per address.
RESETS_PER_EMAIL = Throttle("resets-per-email", 5, 15 * 60)
RESETS_PER_ADDRESS = Throttle("resets-per-address", 100, 15 * 60)
CHANGE_PASSWORD_REPLY = "We've just sent you an email to reset your password."
REVOCATION_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
CLIENT_AUTHENTICATION_FAILED = "Client authentication failed: check client_id and client_secret."
TOKEN_GRANT_TYPES = ("authorization_code", "refresh_token", "client_credentials", "password", PASSWORD_REALM_GRANT,
                     DEVICE_CODE_GRANT)
HASHING_BUSY = "Too many sign-ins are being checked at once; try again in a few seconds."
# A busy hash pool in each endpoint's error shape: OAuth's, and the database connection's.
OAUTH_BUSY = {"error": "temporarily_unavailable", "error_description": HASHING_BUSY}
CONNECTION_BUSY = {"name": "ServiceUnavailableError", "code": "temporarily_unavailable", "description": HASHING_BUSY,
                   "statusCode": 503}


def openid_configuration(request: Request) -> JSONResponse:
    """The OpenID Connect discovery document: the fields of Auth0's, listing only what this tenant serves."""
    issuer = tenant_of(request).config.issuer
    return JSONResponse({
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}authorize",
        "token_endpoint": f"{issuer}oauth/token",
        "device_authorization_endpoint": f"{issuer}oauth/device/code",
        "userinfo_endpoint": f"{issuer}userinfo",
        "jwks_uri": f"{issuer}.well-known/jwks.json",
        "revocation_endpoint": f"{issuer}oauth/revoke",
        "end_session_endpoint": f"{issuer}oidc/logout",
        "scopes_supported": list(OIDC_SCOPES),
        "response_types_supported": ["code", "token", "id_token", "token id_token"],
        "code_challenge_methods_supported": [PKCE_METHOD],
        "response_modes_supported": list(RESPONSE_MODES),
        "grant_types_supported": ["implicit", *TOKEN_GRANT_TYPES],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "claims_supported": ["aud", "auth_time", "email", "email_verified", "exp", "family_name", "given_name", "iat",
                             "iss", "name", "nickname", "picture", "sub", "updated_at", "nonce", "sid"],
        "request_uri_parameter_supported": False,
        "request_parameter_supported": False,
    })


def jwks(request: Request) -> JSONResponse:
    """The public keys that verify the tenant's tokens."""
    return JSONResponse(tenant_of(request).keys.jwks(), headers={"Cache-Control": "public, max-age=60"})


def client_authentication_failed() -> JSONResponse:
    """The 401 for a client whose credentials are wrong or cannot be read."""
    return JSONResponse({"error": "invalid_client", "error_description": CLIENT_AUTHENTICATION_FAILED},
                        status_code=401)


async def read_token_request(request: Request) -> TenantRequest | Response:
    """A token or revocation request read into authlib's form, or the error that says it cannot be read."""
    if unreadable_basic_credentials(request):
        return client_authentication_failed()
    try:
        return await token_request(request, tenant_of(request).config.issuer)
    except BadRequest as error:
        return error.response()


async def token(request: Request) -> Response:
    """The token endpoint: every grant through authlib's server, answered as Auth0 answers."""
    tenant = tenant_of(request)
    oauth_request = await read_token_request(request)
    if isinstance(oauth_request, Response):
        return oauth_request
    grant_type = oauth_request.payload.grant_type
    if not grant_type:
        return to_response(*missing_parameter("grant_type")())
    if grant_type not in TOKEN_GRANT_TYPES:
        description = f"Unsupported grant type: {grant_type[:100]}"
        return to_response(400, {"error": "unsupported_grant_type", "error_description": description}, {})
    # Password checks hash for tens of milliseconds: keep them off the event loop.
    try:
        return await run_hashing_call(tenant.server.create_token_response, oauth_request)
    except HashingBusy as busy:
        return busy_json(busy, OAUTH_BUSY)


def retry_after(busy: HashingBusy) -> dict[str, str]:
    """The Retry-After header of a 503 for a busy hash pool."""
    return {"Retry-After": str(busy.retry_after)}


def busy_json(busy: HashingBusy, body: dict) -> JSONResponse:
    """The 503 of a JSON endpoint whose password hashing is busy, with Retry-After."""
    return JSONResponse(body, status_code=503, headers=retry_after(busy))


def busy_page(render: Callable[..., Response], busy: HashingBusy, **context: object) -> Response:
    """A form shown again with 503 and Retry-After, saying that passwords cannot be checked right now."""
    return render(503, retry_after(busy), error=HASHING_BUSY, **context)


async def revoke(request: Request) -> Response:
    """RFC 7009 refresh-token revocation as Auth0 answers it: the token's whole rotation family stops working."""
    tenant = tenant_of(request)
    oauth_request = await read_token_request(request)
    if isinstance(oauth_request, Response):
        return oauth_request
    token_value = oauth_request.form.get("token")
    if not token_value:
        return to_response(*missing_parameter("token")())
    try:
        client = tenant.server.authenticate_client(oauth_request, REVOCATION_AUTH_METHODS, "revocation")
    except OAuth2Error:
        return client_authentication_failed()
    # Unknown tokens and other clients' tokens get the same empty 200 (RFC 7009 2.2): nothing is revealed.
    tenant.store.revoke_refresh_family(token_value, client.client_id)
    return Response(status_code=200)


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer` header."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    return credentials.strip() or None if scheme.lower() == "bearer" else None


def unauthorized(description: str) -> PlainTextResponse:
    """RFC 6750's answer to a missing or bad token."""
    challenge = f'Bearer error="invalid_token", error_description="{description}"'
    return PlainTextResponse("Unauthorized", status_code=401, headers={"WWW-Authenticate": challenge})


def userinfo(request: Request) -> Response:
    """The signed-in user's profile, for an access token whose audience includes /userinfo."""
    tenant = tenant_of(request)
    token_value = bearer_token(request)
    if token_value is None:
        return PlainTextResponse("Unauthorized", status_code=401, headers={"WWW-Authenticate": "Bearer"})
    claims = read_access_token(token_value, tenant.config.issuer, tenant.keys.jwks(), tenant.tokens.sealer)
    if claims and tenant.revocations.is_revoked(grant_of(claims)):
        claims = None
    user = tenant.users.by_id(claims["user_id"]) if claims else None
    if user is None:
        return unauthorized("The access token is invalid, expired, revoked, or not meant for /userinfo")
    return JSONResponse({"sub": user.sub, **user.claims(set(claims["scope"].split()), tenant.config.issuer)})


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
