"""Auth0 features this tenant does not have, refused as Auth0 refuses them on a tenant where they are off."""

from starlette.requests import Request
from starlette.responses import JSONResponse

CIBA_GRANT = "urn:openid:params:grant-type:ciba"
PASSWORDLESS_OTP_GRANT = "http://auth0.com/oauth/grant-type/passwordless/otp"
TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
CONNECTION_TOKEN_GRANT = "urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token"
# Grants Auth0 knows but that no client of this tenant can be given: CIBA, passwordless, custom token exchange,
# Token Vault. Auth0 refuses a grant a client is not enabled for with 403 unauthorized_client.
FEATURE_GRANTS = frozenset({CIBA_GRANT, PASSWORDLESS_OTP_GRANT, TOKEN_EXCHANGE_GRANT, CONNECTION_TOKEN_GRANT})
NO_PASSWORDLESS_CONNECTION = "Connection does not exist"
NO_PAR = "Pushed Authorization Requests are not enabled for this tenant."
NO_DPOP = "DPoP is not enabled for this tenant: its tokens are bearer tokens, so a DPoP proof cannot bind them."


def grant_not_allowed(grant_type: str) -> JSONResponse:
    """Auth0's answer to a grant the client is not enabled for."""
    return JSONResponse({"error": "unauthorized_client",
                         "error_description": f"Grant type '{grant_type}' not allowed for the client."},
                        status_code=403)


def dpop_refused() -> JSONResponse:
    """A token request carrying a DPoP proof: refused, rather than answered with a bearer token as if bound."""
    return JSONResponse({"error": "invalid_dpop_proof", "error_description": NO_DPOP}, status_code=400)


async def passwordless_start(request: Request) -> JSONResponse:
    """POST /passwordless/start: there is no email or sms connection to send a code with."""
    return JSONResponse({"error": "bad.connection", "error_description": NO_PASSWORDLESS_CONNECTION}, status_code=400)


async def pushed_authorization_request(request: Request) -> JSONResponse:
    """POST /oauth/par: PAR is a tenant setting, off here (so discovery lists no PAR endpoint)."""
    return JSONResponse({"error": "unauthorized_client", "error_description": NO_PAR}, status_code=403)


async def backchannel_authorize(request: Request) -> JSONResponse:
    """POST /bc-authorize: CIBA needs its grant enabled on the client, which no client here can have."""
    return grant_not_allowed(CIBA_GRANT)
