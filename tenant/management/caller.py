"""Who calls the Management API: the bearer token checked (issuer, audience <issuer>api/v2/, expiry), its scopes, and
the reach of its client, as FastAPI dependencies."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, InvalidClaimError, JoseError
from joserfc.jwk import KeySet

from tenant.management.errors import (BAD_AUDIENCE, EXPIRED_TOKEN, INSUFFICIENT_SCOPE, INVALID_TOKEN,
                                      MISSING_AUTHENTICATION, ManagementError)
from tenant.management.reach import Reach
from tenant.services import Tenant

MAX_TOKEN_LENGTH = 8192


@dataclass(frozen=True)
class Caller:
    """A client holding a valid Management API token: its id, its scopes and its reach."""

    client_id: str
    scopes: frozenset[str]
    reach: Reach

    def require(self, *scopes: str) -> None:
        """403 insufficient_scope unless the token holds one of these scopes."""
        if not self.scopes.intersection(scopes):
            raise ManagementError(403, INSUFFICIENT_SCOPE.format(scopes=",".join(scopes)), "insufficient_scope")


def management_tenant(request: Request) -> Tenant:
    """The tenant whose Management API is called."""
    return request.app.state.tenant


CurrentTenant = Annotated[Tenant, Depends(management_tenant)]


def bearer(request: Request) -> str:
    """The bearer token of the request; 401 without one."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ManagementError(401, MISSING_AUTHENTICATION)
    if len(token) > MAX_TOKEN_LENGTH:
        raise ManagementError(401, INVALID_TOKEN, attributes={"error": INVALID_TOKEN})
    return token.strip()


def verified_claims(tenant: Tenant, token: str) -> dict:
    """The claims of a Management API access token this tenant signed; 401 in Auth0's words otherwise."""
    audience = tenant.directory.management_api.identifier
    try:
        decoded = jwt.decode(token, KeySet.import_key_set(tenant.keys.jwks()), algorithms=["RS256"])
        jwt.JWTClaimsRegistry(iss={"essential": True, "value": tenant.config.issuer},
                              exp={"essential": True}).validate(decoded.claims)
    except ExpiredTokenError:
        raise ManagementError(401, EXPIRED_TOKEN) from None
    except (JoseError, InvalidClaimError, ValueError, TypeError):
        raise ManagementError(401, INVALID_TOKEN, attributes={"error": INVALID_TOKEN}) from None
    aud = decoded.claims.get("aud")
    if audience not in (aud if isinstance(aud, list) else [aud]):
        raise ManagementError(401, BAD_AUDIENCE.format(audience=aud if isinstance(aud, str) else ",".join(map(str, aud or []))))
    return decoded.claims


def current_caller(request: Request, tenant: CurrentTenant) -> Caller:
    """The client calling, from its token; its application must still exist."""
    claims = verified_claims(tenant, bearer(request))
    client_id = claims.get("azp")
    subject = claims.get("sub")
    visitor_app = tenant.apps.client(client_id)
    known = tenant.directory.client(client_id) is not None or visitor_app is not None
    if not isinstance(client_id, str) or subject != f"{client_id}@clients" or not known:
        raise ManagementError(401, INVALID_TOKEN, attributes={"error": INVALID_TOKEN})
    scope = claims.get("scope")
    scopes = frozenset(scope.split()) if isinstance(scope, str) else frozenset()
    return Caller(client_id, scopes, Reach.of(client_id, tenant.config.loopback, visitor_app is not None))


CurrentCaller = Annotated[Caller, Depends(current_caller)]


def needs(*scopes: str):
    """A dependency: the caller, which must hold one of `scopes`."""
    def caller_with_scope(caller: CurrentCaller) -> Caller:
        caller.require(*scopes)
        return caller
    return Depends(caller_with_scope)
