"""Refresh-token revocation (/oauth/revoke, RFC 7009)."""

from authlib.oauth2.rfc6749 import OAuth2Error
from starlette.requests import Request
from starlette.responses import Response

from tenant.endpoints.token import client_authentication_failed, read_token_request
from tenant.oauth import missing_parameter, to_response
from tenant.services import tenant_of

REVOCATION_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]


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
