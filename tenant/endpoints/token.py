"""The token endpoint (/oauth/token): every grant through authlib's server, answered as Auth0 answers."""

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tenant.directory import DEVICE_CODE_GRANT, PASSWORD_REALM_GRANT
from tenant.endpoints.busy import OAUTH_BUSY, busy_json
from tenant.endpoints.missing_features import FEATURE_GRANTS, dpop_refused, grant_not_allowed
from tenant.grants.mfa import MFA_OTP_GRANT, MFA_RECOVERY_CODE_GRANT
from tenant.http import BadRequest, token_request, unreadable_basic_credentials
from tenant.logs.origin import origin_of
from tenant.logs.token_exchanges import record_exchange
from tenant.oauth import TenantRequest, missing_parameter, to_response
from tenant.security.hashing import HashingBusy, run_hashing_call
from tenant.services import tenant_of

CLIENT_AUTHENTICATION_FAILED = "Client authentication failed: check client_id and client_secret."
TOKEN_GRANT_TYPES = ("authorization_code", "refresh_token", "client_credentials", "password", PASSWORD_REALM_GRANT,
                     DEVICE_CODE_GRANT, MFA_OTP_GRANT, MFA_RECOVERY_CODE_GRANT)


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
    if "dpop" in request.headers:
        return dpop_refused()
    grant_type = oauth_request.payload.grant_type
    if not grant_type:
        return to_response(*missing_parameter("grant_type")())
    if grant_type in FEATURE_GRANTS:
        return grant_not_allowed(grant_type)
    if grant_type not in TOKEN_GRANT_TYPES:
        description = f"Unsupported grant type: {grant_type[:100]}"
        return to_response(400, {"error": "unsupported_grant_type", "error_description": description}, {})
    # Password checks hash for tens of milliseconds: keep them off the event loop.
    try:
        response = await run_hashing_call(tenant.server.create_token_response, oauth_request)
    except HashingBusy as busy:
        return busy_json(busy, OAUTH_BUSY)
    record_exchange(tenant.logs, origin_of(request), oauth_request, response)
    return response
