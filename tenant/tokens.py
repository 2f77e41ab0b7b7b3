"""Access, ID and refresh tokens shaped like Auth0's."""

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, replace

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from tenant.actions.engine import CustomClaims
from tenant.directory import OIDC_SCOPES, Client, Directory
from tenant.sealed_tokens import TokenSealer
from tenant.store.keys import KeyRing
from tenant.store.store import Store
from tenant.store.users import User

ACCESS_TOKEN_LIFETIME = 86_400
# Auth0's "Token Expiration For Browser Flows": access tokens handed to the browser by the implicit grant.
BROWSER_FLOW_LIFETIME = 7_200
ID_TOKEN_LIFETIME = 36_000
REFRESH_TOKEN_LIFETIME = 30 * 86_400
# Auth0's `gty` claim for the grants that set it.
GRANT_TYPE_CLAIMS = {
    "password": "password",
    "http://auth0.com/oauth/grant-type/password-realm": "password",
    "client_credentials": "client-credentials",
}
NO_REFRESH_GRANTS = {"client_credentials", "implicit"}


@dataclass(frozen=True)
class TokenOrder:
    """What to issue, and to whom."""

    client: Client
    grant_type: str
    scope: str
    audience: str | None
    user: User | None = None
    nonce: str | None = None
    session_id: str | None = None
    auth_time: int | None = None
    # The grant the tokens continue (an authorization code's, kept by its refresh tokens): the refresh tokens' family
    # and the first part of the access tokens' jti, so that revoking the grant reaches them all.
    refresh_family: str | None = None
    include_refresh_token: bool = True
    include_id_token: bool = True
    id_token_only: bool = False
    access_token_lifetime: int = ACCESS_TOKEN_LIFETIME
    custom_claims: CustomClaims = CustomClaims()
    # How the user authenticated (`amr`, e.g. ("mfa",)) and the policy met when one was asked for (`acr`).
    amr: tuple[str, ...] = ()
    acr: str | None = None


def access_token_lifetime(order: TokenOrder) -> int:
    """Seconds an access token lives: shorter when the implicit grant hands it to the browser."""
    return BROWSER_FLOW_LIFETIME if order.grant_type == "implicit" else order.access_token_lifetime


def token_id(order: TokenOrder) -> str | None:
    """The `jti` of an access token that continues a grant: the grant, then a part of its own (else none, as Auth0)."""
    return f"{order.refresh_family}.{secrets.token_urlsafe(9)}" if order.refresh_family else None


def with_token_id(claims: dict, jti: str | None) -> dict:
    """The claims, with `jti` when there is one."""
    return {**claims, "jti": jti} if jti else claims


def with_authentication(claims: dict, order: TokenOrder) -> dict:
    """The claims, with `amr` and `acr` when the login has them."""
    if order.amr:
        claims["amr"] = list(order.amr)
    if order.acr:
        claims["acr"] = order.acr
    return claims


def at_hash(access_token: str) -> str:
    """OpenID Connect's hash of the access token carried in an ID token."""
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


class TokenFactory:
    """Issues tokens: RS256 JWT access tokens for the API, opaque ones for /userinfo only, ID and refresh tokens."""

    def __init__(self, issuer: str, directory: Directory, keys: KeyRing, store: Store) -> None:
        self.issuer = issuer
        self.directory = directory
        self.keys = keys
        self.store = store
        self.sealer = TokenSealer(keys, issuer)

    def granted_scopes(self, order: TokenOrder) -> list[str]:
        """The requested scopes the tenant grants: OpenID ones, and API ones the user (or client) holds."""
        requested = order.scope.split()
        granted = [s for s in OIDC_SCOPES if s in requested and order.user is not None]
        if "offline_access" in granted and (
            order.grant_type in NO_REFRESH_GRANTS or not order.client.check_grant_type("refresh_token")
        ):
            granted.remove("offline_access")
        if self.directory.api_of(order.audience) is None:
            return granted
        if order.user is None:
            held = order.client.api_grants.get(order.audience, ())
            return granted + ([s for s in held if s in requested] if requested else list(held))
        return granted + [s for s in self.directory.api.permissions if s in requested and s in order.user.permissions]

    def sign(self, claims: dict) -> str:
        """A compact RS256 JWS of the claims, with the signing key's kid."""
        key = self.keys.signing_key()
        return jwt.encode({"alg": "RS256", "typ": "JWT", "kid": key.kid}, claims, key, algorithms=["RS256"])

    def access_token(self, order: TokenOrder, scopes: list[str], now: int, jti: str | None) -> str:
        """A JWT for the API, or (no API asked for) an encrypted token good for /userinfo alone, as on Auth0."""
        subject = order.user.sub if order.user else f"{order.client.client_id}@clients"
        api = self.directory.api_of(order.audience)
        if api is None:
            return self.sealer.seal(with_token_id({
                "iss": self.issuer, "sub": subject, "aud": f"{self.issuer}userinfo", "iat": now,
                "exp": now + access_token_lifetime(order), "scope": " ".join(scopes), "azp": order.client.client_id,
            }, jti))
        audience: str | list[str] = order.audience
        if "openid" in scopes:
            audience = [order.audience, f"{self.issuer}userinfo"]
        claims: dict = with_token_id({"iss": self.issuer, "sub": subject, "aud": audience, "iat": now,
                                      "exp": now + access_token_lifetime(order)}, jti)
        if order.grant_type in GRANT_TYPE_CLAIMS:
            claims["gty"] = GRANT_TYPE_CLAIMS[order.grant_type]
        claims.update(azp=order.client.client_id, scope=" ".join(scopes))
        with_authentication(claims, order)
        if api is not self.directory.api:  # the Management API checks scopes alone, as Auth0's does
            return self.sign(claims)
        # A machine holds exactly the scopes granted to it; a user holds their roles' permissions, asked for or not.
        permissions = order.user.permissions if order.user else scopes
        claims["permissions"] = [p for p in self.directory.api.permissions if p in permissions]
        CustomClaims.add(order.custom_claims.access, claims)
        return self.sign(claims)

    def id_token(self, order: TokenOrder, scopes: set[str], now: int, access_token: str | None) -> str:
        """The ID token: who signed in, for the client that asked."""
        claims = order.user.claims(scopes, self.issuer)
        claims.update(iss=self.issuer, aud=order.client.client_id, sub=order.user.sub, iat=now,
                      exp=now + ID_TOKEN_LIFETIME)
        if order.auth_time is not None:
            claims["auth_time"] = order.auth_time
        if order.session_id:
            claims["sid"] = order.session_id
        with_authentication(claims, order)
        if order.nonce:
            claims["nonce"] = order.nonce
        if access_token and order.grant_type == "implicit":
            claims["at_hash"] = at_hash(access_token)
        CustomClaims.add(order.custom_claims.id, claims)
        return self.sign(claims)

    def refresh_token(self, order: TokenOrder, scopes: list[str]) -> str:
        """A new refresh token; a rotated one stays in its family so that reuse can revoke them all."""
        token = secrets.token_urlsafe(48)
        family = order.refresh_family
        data = {"user_id": order.user.get_user_id(), "client_id": order.client.client_id,
                "scope": " ".join(scopes), "audience": order.audience, "session_id": order.session_id,
                "auth_time": order.auth_time, "family": family, "amr": list(order.amr), "acr": order.acr}
        self.store.put_refresh_token(token, family, data, REFRESH_TOKEN_LIFETIME)
        return token

    def issue(self, order: TokenOrder) -> dict:
        """The token response body, in Auth0's field order."""
        now = int(time.time())
        jti = token_id(order)
        order = replace(order, refresh_family=order.refresh_family or secrets.token_urlsafe(16))
        scopes = order.custom_claims.scopes(self.granted_scopes(order))
        scope_set = set(scopes)
        if order.id_token_only:
            return {"id_token": self.id_token(order, scope_set, now, None)}
        body: dict = {"access_token": self.access_token(order, scopes, now, jti)}
        if order.include_id_token and order.user is not None and "openid" in scope_set:
            body["id_token"] = self.id_token(order, scope_set, now, body["access_token"])
        if order.include_refresh_token and "offline_access" in scope_set:
            body["refresh_token"] = self.refresh_token(order, scopes)
        body.update(scope=" ".join(scopes), expires_in=access_token_lifetime(order), token_type="Bearer")
        return body


def userinfo_claims(claims: dict) -> dict:
    """What /userinfo needs from a token: subject, user id, scope and token id."""
    sub = claims.get("sub", "")
    return {"sub": sub, "user_id": sub.removeprefix("auth0|"), "scope": claims.get("scope", ""),
            "jti": claims.get("jti")}


def read_access_token(token: str, issuer: str, jwks: dict, sealer: TokenSealer) -> dict | None:
    """The claims of an access token this tenant issued and that is good for /userinfo, else None."""
    if token.count(".") == 4:
        claims = sealer.open(token)
        return userinfo_claims(claims) if claims else None
    if token.count(".") != 2:
        return None
    try:
        decoded = jwt.decode(token, KeySet.import_key_set(jwks), algorithms=["RS256"])
        jwt.JWTClaimsRegistry(iss={"essential": True, "value": issuer}, exp={"essential": True}).validate(
            decoded.claims
        )
    except (JoseError, ValueError, TypeError):
        return None
    audience = decoded.claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if f"{issuer}userinfo" not in audiences:
        return None
    return userinfo_claims(decoded.claims)
