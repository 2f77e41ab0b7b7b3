"""OpenID Connect discovery and the public signing keys (/.well-known/...)."""

from starlette.requests import Request
from starlette.responses import JSONResponse

from tenant.directory import OIDC_SCOPES
from tenant.endpoints.token import TOKEN_GRANT_TYPES
from tenant.grants.authorization_code import PKCE_METHOD
from tenant.pages.response_modes import RESPONSE_MODES
from tenant.services import tenant_of


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
