"""The signed-in user's profile (/userinfo)."""

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from tenant.services import tenant_of
from tenant.store.revocations import grant_of
from tenant.tokens import read_access_token


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
