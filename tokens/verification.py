"""Access-token verification: fastapi-auth0's `Auth0`, same constructor and names, with its known gaps fixed."""

# What changes compared with fastapi-auth0 0.5.0:
# - no network I/O when `Auth0(...)` is built; the JWKS is fetched on first use, with a timeout, cached, and
#   refreshed when a token names an unknown `kid` (at most once every few seconds), so key rotations just work;
# - the built-in tenant hands its keys over in-process (`jwks_source`), and only it may be served over `http://`;
#   such a source may also say which of its tokens it revoked (`RevocationSource`), asked after every other check;
# - RS256 only (RFC 8725), issuer compared exactly, and every rejection answered per RFC 6750 with a sentence
#   that says which check failed;
# - a tenant that cannot be reached gives 503 with the reason, and the next request tries again.

import asyncio
import inspect
import json
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlencode, urlsplit

import fastapi_auth0
import httpx
from fastapi import Depends, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from fastapi.security import (
    HTTPAuthorizationCredentials,
    HTTPBearer,
    OAuth2AuthorizationCodeBearer,
    OAuth2PasswordBearer,
    OpenIdConnect,
    SecurityScopes,
)
from fastapi_auth0 import Auth0User, security_responses
from fastapi_auth0.auth import OAuth2ImplicitBearer
from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import RSAKey

from progress.milestones import note_accepted_claims, note_failure
from server.addresses import is_loopback_host
from tokens.unverified_jwt import json_segment

__all__ = ["Auth0", "Auth0User", "AuthError", "JwksSource", "VerifiedToken", "auth_error_response",
           "security_responses"]

logger = logging.getLogger("playground.verification")

JwksSource = Callable[[], dict[str, Any]]


@runtime_checkable
class RevocationSource(Protocol):
    """An in-process tenant that can say whether it revoked one of its access tokens (the built-in tenant)."""

    async def token_is_revoked(self, claims: dict[str, Any]) -> bool:
        """Whether the tenant revoked this verified token."""

ALGORITHM = "RS256"
JWKS_TIMEOUT_SECONDS = 3.0
REMOTE_REFRESH_INTERVAL_SECONDS = 5.0
REMOTE_KEYS_MAX_AGE_SECONDS = 600.0
IN_PROCESS_REFRESH_INTERVAL_SECONDS = 1.0
IN_PROCESS_KEYS_MAX_AGE_SECONDS = 60.0
CLOCK_LEEWAY_SECONDS = 5
MAX_TOKEN_LENGTH = 16_384
VERIFIED_CACHE_SIZE = 4096
RETRY_AFTER_SECONDS = 5

MISSING_TOKEN = "No access token: send it as the header 'Authorization: Bearer <access token>'."
NOT_BEARER = "The Authorization header uses the {scheme} scheme; this API expects 'Bearer <access token>'."
TOO_LONG = "The token is {length} characters long; this API reads at most {limit}."
OPAQUE_TOKEN = ("This is not a JWT but an opaque token. Auth0 issues those when the request names no audience: "
                "ask for the token with audience={audience}.")
ENCRYPTED_TOKEN = ("This is an encrypted token (JWE), which this API cannot read. Ask for the token with "
                   "audience={audience} to get a signed JWT.")
MALFORMED = "The token is malformed: {reason}."
ALG_NONE = "alg is none: unsigned tokens are never accepted (RFC 8725). This API accepts only RS256."
ALG_HMAC = ("alg is {alg}, a shared-secret signature; this API accepts only RS256, signed with the tenant's "
            "private key (RFC 8725: never let the token pick the algorithm).")
ALG_OTHER = "alg is {alg}; this API accepts only RS256."
NO_KID = "The token header has no kid, so there is no way to pick the tenant key that signed it."
UNKNOWN_KID = ("kid {kid} is not one of the signing keys of {issuer}: the token was issued by another tenant, "
               "or signed with a key that has been revoked.")
BAD_SIGNATURE = ("The signature does not match: the token was changed after it was signed, or it was signed by "
                 "someone else with the same kid.")
NO_EXP = "The token has no exp claim, so it would never expire; this API refuses it."
EXPIRED = "The token expired at {when} ({ago} seconds ago): get a new one."
NOT_YET_VALID = "The token is not valid before {when} (nbf): check the clocks."
ISSUER_MISMATCH = "iss is {actual} but this API trusts tokens from {expected} only."
ISSUER_SLASH = "iss is {actual} but this API trusts {expected}: issuers are compared exactly, trailing slash included."
ID_TOKEN = ("This is an ID token (aud is the client {aud}): it tells the app who signed in. Send the access token, "
            "requested with audience={audience}.")
AUDIENCE_MISMATCH = ("aud is {actual} but this API is {expected}: ask for the token with audience={expected}.")
NO_SUB = "The token has no sub claim, so it names nobody."
REVOKED = ("The tenant revoked this token: the authorization code it was issued for was used a second time, which "
           "revokes every token issued from that code (RFC 9700). Sign in again.")
MISSING_SCOPE = ("This endpoint needs the scope {scope}, and the token's scope is {granted}. Ask for {scope} when "
                 "getting the token; the tenant grants it only to users and clients that hold that permission.")
SCOPE_NOT_STRING = "The token's scope claim must be a space-separated string."
MISSING_PERMISSION = ("This endpoint needs the permission {permission} in the token's permissions claim, which "
                      "holds {granted}. Assign that permission to the user (or grant it to the client).")
NO_PERMISSIONS_CLAIM = ("This endpoint checks the permissions claim, which the token does not have: turn on RBAC and "
                        "'Add Permissions in the Access Token' for the API {audience}.")
MISSING_EMAIL = "The token has no email claim: add it with an Action in a namespaced claim."
TENANT_UNREACHABLE = ("The tenant's signing keys could not be fetched from {url} ({reason}), so no token can be "
                      "checked right now. Try again in a few seconds.")
PLAIN_HTTP_REFUSED = ("domain {domain} uses http://, which only the built-in tenant may do (on this machine, or "
                      "with its keys handed over in-process); an Auth0 tenant is always reached over https://.")


class AuthError(HTTPException):
    """A refused request, with the RFC 6750 error code and the name of the check that failed."""

    def __init__(self, status_code: int, message: str, *, error: str | None, check: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code, detail=message, headers=headers)
        self.error = error
        self.check = check


def challenge(error: str | None = None, description: str | None = None, scope: str | None = None) -> str:
    """A `WWW-Authenticate: Bearer ...` value (RFC 6750 section 3)."""
    params = [(name, value) for name, value in
              (("error", error), ("error_description", description), ("scope", scope)) if value]
    if not params:
        return "Bearer"
    return "Bearer " + ", ".join(f'{name}="{header_safe(value)}"' for name, value in params)


def header_safe(text: str) -> str:
    """The text with only the characters RFC 6750 allows in a quoted parameter."""
    return "".join(char if 0x20 <= ord(char) <= 0x7E and char not in '"\\' else "'" if char == '"' else "?"
                   for char in text)


def shown(value: object, limit: int = 120) -> str:
    """A claim or header value as it appears in a message, shortened when huge."""
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[:limit] + "..."


class Unauthenticated(AuthError):
    """401: the token is missing or cannot be trusted."""

    def __init__(self, message: str, check: str, *, error: str | None = "invalid_token") -> None:
        header = challenge(error, message if error else None)
        super().__init__(401, message, error=error, check=check, headers={"WWW-Authenticate": header})


class Forbidden(AuthError):
    """403: a valid token that lacks what this endpoint needs."""

    def __init__(self, message: str, check: str, scope: str) -> None:
        header = challenge("insufficient_scope", message, scope)
        super().__init__(403, message, error="insufficient_scope", check=check, headers={"WWW-Authenticate": header})


class TenantUnavailable(AuthError):
    """503: the tenant's keys cannot be fetched, so no token can be checked."""

    def __init__(self, message: str) -> None:
        super().__init__(503, message, error="temporarily_unavailable", check="jwks",
                         headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


async def auth_error_response(request: Request, exc: Exception) -> JSONResponse:
    """The JSON body of a refused request: what failed, in words, and which check it was."""
    assert isinstance(exc, AuthError)
    note_failure(request, f"api-{exc.check}")
    body = {"detail": exc.detail, "error": exc.error, "check": exc.check}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


@dataclass(frozen=True)
class VerifiedToken:
    """An access token that passed every check: its raw form, JOSE header and claims."""

    token: str
    header: dict[str, Any]
    claims: dict[str, Any]


@dataclass
class SigningKeys:
    """The tenant's public keys by `kid`: fetched on first use, cached, refreshed when stale or a `kid` is new."""

    fetch: Callable[[], Awaitable[dict[str, Any]]]
    url: str
    min_refresh_interval: float
    max_age: float
    generation: int = 0
    _keys: dict[str, RSAKey] = field(default_factory=dict)
    _fingerprint: tuple = ()
    _fetched_at: float = float("-inf")
    _attempted_at: float = float("-inf")
    _failure: str | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def find(self, kid: str) -> RSAKey | None:
        """The key named `kid`, or None when the tenant does not have it; raises TenantUnavailable."""
        now = time.monotonic()
        key = self._keys.get(kid)
        if key is not None and now - self._fetched_at < self.max_age:
            return key
        if now - self._attempted_at >= self.min_refresh_interval:
            await self._refresh(now)
        key = self._keys.get(kid)
        if key is None and self._failure is not None:
            raise TenantUnavailable(TENANT_UNREACHABLE.format(url=self.url, reason=self._failure))
        return key

    async def _refresh(self, asked_at: float) -> None:
        """Fetch the key set once, however many requests ask at the same time."""
        async with self._lock:
            if self._attempted_at >= asked_at:
                return
            self._attempted_at = time.monotonic()
            try:
                keys = parse_jwks(await self.fetch())
            except Exception as error:  # noqa: BLE001 - any failure means "unreachable", reported with its reason
                self._failure = describe_failure(error)
                logger.warning("JWKS fetch from %s failed: %s", self.url, self._failure)
                return
            self._failure = None
            self._fetched_at = self._attempted_at
            fingerprint = tuple(sorted((kid, key.as_dict()["n"]) for kid, key in keys.items()))
            if fingerprint != self._fingerprint:
                self._keys, self._fingerprint = keys, fingerprint
                self.generation += 1


def parse_jwks(jwks: object) -> dict[str, RSAKey]:
    """The RS256 signing keys of a JWKS document, by `kid`."""
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise ValueError("the JWKS is not a JSON object with a keys list")
    keys: dict[str, RSAKey] = {}
    for entry in jwks["keys"]:
        if not isinstance(entry, dict) or entry.get("kty") != "RSA" or not isinstance(entry.get("kid"), str):
            continue
        if entry.get("use", "sig") != "sig" or entry.get("alg", ALGORITHM) != ALGORITHM:
            continue
        try:
            keys[entry["kid"]] = RSAKey.import_key({name: entry[name] for name in ("kty", "n", "e") if name in entry})
        except (JoseError, ValueError, TypeError):
            continue
    if not keys:
        raise ValueError("the JWKS has no RS256 signing key")
    return keys


def describe_failure(error: Exception) -> str:
    """A short reason for a failed JWKS fetch."""
    if isinstance(error, httpx.TimeoutException):
        return f"no answer within {JWKS_TIMEOUT_SECONDS:g} s"
    if isinstance(error, httpx.HTTPStatusError):
        return f"it answered HTTP {error.response.status_code}"
    if isinstance(error, httpx.TransportError):
        return f"connection failed: {type(error).__name__}"
    return str(error) or type(error).__name__


def b64url_json(segment: str, part: str) -> Any:
    """Decode one base64url segment of a compact JWT holding JSON."""
    try:
        return json_segment(segment)
    except ValueError as error:
        raise Unauthenticated(MALFORMED.format(reason=f"the {part} is not base64url-encoded JSON"), "format") from error


def utc(timestamp: float) -> str:
    """A Unix time as an ISO 8601 UTC string (as given when out of range)."""
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))
    except (OverflowError, OSError, ValueError):
        return str(timestamp)


def is_number(value: object) -> bool:
    """True for finite JSON numbers (not booleans)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) or math.isfinite(value)


def looks_like_id_token(claims: dict[str, Any], audience: str) -> bool:
    """True for an OpenID Connect ID token: no scope or permissions; profile claims, or one client as audience."""
    if "scope" in claims or "permissions" in claims:
        return False
    # With only the `openid` scope an ID token has nothing but iss, sub, aud (the client), iat and exp.
    id_token_claims = ("nonce", "at_hash", "sid", "auth_time", "email", "name", "nickname")
    aud = claims.get("aud")
    return any(name in claims for name in id_token_claims) or isinstance(aud, str) and aud != audience


IMPLICIT_DESCRIPTION = ("Legacy: the implicit grant returns the access token in the URL fragment and is deprecated "
                        "(RFC 9700). Shown because many Swagger set-ups still use it.")
PKCE_DESCRIPTION = "Recommended: authorization code with PKCE. Swagger UI sends no client secret."
BEARER_DESCRIPTION = "Paste an access token you got elsewhere, such as a machine-to-machine token."

bearer_scheme = HTTPBearer(auto_error=False, scheme_name="Auth0HTTPBearer", description=BEARER_DESCRIPTION)


class Auth0(fastapi_auth0.Auth0):
    """fastapi-auth0's `Auth0` with lazy, refreshing keys and RFC 6750 errors; use it exactly like the original."""

    def __init__(self, domain: str, api_audience: str, scopes: dict[str, str] | None = None,
                 auto_error: bool = True, scope_auto_error: bool = True, email_auto_error: bool = False,
                 auth0user_model: type[Auth0User] = Auth0User, *, jwks_source: JwksSource | None = None) -> None:
        # The parent's __init__ is skipped on purpose: it downloads the JWKS with no timeout and hard-codes https.
        scopes = dict(scopes or {})
        scheme, self.domain = split_domain(domain)
        if scheme == "http" and jwks_source is None and not is_loopback_host(urlsplit(f"//{self.domain}").hostname or ""):
            raise ValueError(PLAIN_HTTP_REFUSED.format(domain=domain))
        self.base_url = f"{scheme}://{self.domain}"
        self.issuer = f"{self.base_url}/"
        self.audience = api_audience
        self.auto_error = auto_error
        self.scope_auto_error = scope_auto_error
        self.email_auto_error = email_auto_error
        self.auth0_user_model = auth0user_model
        self.algorithms = [ALGORITHM]
        self.keys = self._signing_keys(jwks_source)
        self.revocations = jwks_source if isinstance(jwks_source, RevocationSource) else None
        self._verified: OrderedDict[str, tuple[VerifiedToken, int, float]] = OrderedDict()

        authorization_url = f"{self.base_url}/authorize?{urlencode({'audience': api_audience})}"
        token_url = f"{self.base_url}/oauth/token"
        self.implicit_scheme = OAuth2ImplicitBearer(
            authorizationUrl=authorization_url, scopes=scopes, scheme_name="Auth0ImplicitBearer")
        self.implicit_scheme.model.description = IMPLICIT_DESCRIPTION
        self.authcode_scheme = OAuth2AuthorizationCodeBearer(
            authorizationUrl=authorization_url, tokenUrl=token_url, scopes=scopes, auto_error=False,
            scheme_name="Auth0AuthorizationCodePKCE", description=PKCE_DESCRIPTION)
        self.password_scheme = OAuth2PasswordBearer(tokenUrl=token_url, scopes=scopes, auto_error=False)
        self.oidc_scheme = OpenIdConnect(
            openIdConnectUrl=f"{self.base_url}/.well-known/openid-configuration", auto_error=False)

    def _signing_keys(self, jwks_source: JwksSource | None) -> SigningKeys:
        """In-process keys for the built-in tenant; otherwise the tenant's JWKS over https."""
        jwks_url = f"{self.base_url}/.well-known/jwks.json"
        if jwks_source is not None:
            async def from_process() -> dict[str, Any]:
                keys = jwks_source()
                return await keys if inspect.isawaitable(keys) else keys

            return SigningKeys(from_process, jwks_url, min_refresh_interval=IN_PROCESS_REFRESH_INTERVAL_SECONDS,
                               max_age=IN_PROCESS_KEYS_MAX_AGE_SECONDS)

        async def from_tenant() -> dict[str, Any]:
            async with httpx.AsyncClient(timeout=JWKS_TIMEOUT_SECONDS) as client:
                response = await client.get(jwks_url, headers={"Accept": "application/json"})
                response.raise_for_status()
                return response.json()

        return SigningKeys(from_tenant, jwks_url, min_refresh_interval=REMOTE_REFRESH_INTERVAL_SECONDS,
                           max_age=REMOTE_KEYS_MAX_AGE_SECONDS)

    async def get_user(self, request: Request, security_scopes: SecurityScopes,
                       creds: HTTPAuthorizationCredentials | None = Depends(bearer_scheme)) -> Auth0User | None:
        """Verify the bearer token, check the endpoint's scopes against its `scope` claim, and return the user."""
        token = await self.get_token(request, security_scopes, creds)
        return None if token is None else self.user_from(token)

    async def get_user_with_permissions(
        self, request: Request, security_scopes: SecurityScopes,
        creds: HTTPAuthorizationCredentials | None = Depends(bearer_scheme),
    ) -> Auth0User | None:
        """Like get_user, but the endpoint's scopes must be in the `permissions` claim (Auth0 RBAC)."""
        token = await self.verified(request, creds)
        if token is None:
            return None
        if self.scope_auto_error:
            self.require_permissions(token, security_scopes.scopes)
        return self.user_from(token)

    async def get_token(self, request: Request, security_scopes: SecurityScopes,
                        creds: HTTPAuthorizationCredentials | None = Depends(bearer_scheme)) -> VerifiedToken | None:
        """Like get_user, but return the verified token itself: JOSE header and claims."""
        token = await self.verified(request, creds)
        if token is not None and self.scope_auto_error:
            self.require_scopes(token, security_scopes.scopes)
        return token

    async def bearer_user(self, request: Request, security_scopes: SecurityScopes) -> Auth0User | None:
        """get_user as one dependency: the header read here rather than by a security scheme's own dependency."""
        return await self.get_user(request, security_scopes, None)

    async def bearer_user_with_permissions(self, request: Request,
                                           security_scopes: SecurityScopes) -> Auth0User | None:
        """get_user_with_permissions as one dependency, as bearer_user is."""
        return await self.get_user_with_permissions(request, security_scopes, None)

    async def bearer_verified_token(self, request: Request, security_scopes: SecurityScopes) -> VerifiedToken | None:
        """get_token as one dependency, as bearer_user is."""
        return await self.get_token(request, security_scopes, None)

    def openapi_security(self, scopes: list[str]) -> dict[str, Any]:
        """An operation's OpenAPI `security`, as `dependencies=[Depends(implicit_scheme)]` and get_user declare it."""
        return {"security": [{self.implicit_scheme.scheme_name: scopes}, {bearer_scheme.scheme_name: scopes}]}

    def security_schemes(self) -> dict[str, Any]:
        """The OpenAPI security schemes that openapi_security names."""
        return {scheme.scheme_name: jsonable_encoder(scheme.model, by_alias=True, exclude_none=True)
                for scheme in (self.implicit_scheme, bearer_scheme)}

    async def verified(self, request: Request,
                       creds: HTTPAuthorizationCredentials | None = None) -> VerifiedToken | None:
        """The request's bearer token after every check, or None when auto_error is off and it fails."""
        try:
            if creds is None or " " in creds.credentials:
                token = await self.verify(bearer_token(request.headers.get("Authorization")))
            else:
                token = await self.verify(creds.credentials)
            note_accepted_claims(request, token.claims)
            return token
        except Unauthenticated:
            if self.auto_error:
                raise
            return None

    async def verify(self, token: str) -> VerifiedToken:
        """Check a compact JWT: format, alg, kid, signature, exp, nbf, iss, aud and sub."""
        cached = self._verified.get(token)
        if cached is not None and cached[1] == self.keys.generation \
                and time.monotonic() - cached[2] < self.keys.max_age:
            self.check_times(cached[0].claims)
            await self.check_not_revoked(cached[0].claims)
            return cached[0]
        header, claims = await self.verify_signature(token)
        self.check_times(claims)
        self.check_issuer_and_audience(claims)
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise Unauthenticated(NO_SUB, "sub")
        await self.check_not_revoked(claims)
        verified = VerifiedToken(token, header, claims)
        self._remember(verified)
        return verified

    async def check_not_revoked(self, claims: dict[str, Any]) -> None:
        """Refuse a token its in-process tenant has revoked."""
        if self.revocations is not None and await self.revocations.token_is_revoked(claims):
            raise Unauthenticated(REVOKED, "revoked")

    async def verify_signature(self, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The token's header and claims once its RS256 signature is checked against the tenant's key."""
        if len(token) > MAX_TOKEN_LENGTH:
            raise Unauthenticated(TOO_LONG.format(length=len(token), limit=MAX_TOKEN_LENGTH), "format")
        segments = token.split(".")
        if len(segments) == 1:
            raise Unauthenticated(OPAQUE_TOKEN.format(audience=self.audience), "format")
        if len(segments) == 5:
            raise Unauthenticated(ENCRYPTED_TOKEN.format(audience=self.audience), "format")
        if len(segments) != 3:
            reason = f"a JWT has 3 base64url parts separated by dots, this has {len(segments)}"
            raise Unauthenticated(MALFORMED.format(reason=reason), "format")
        header = b64url_json(segments[0], "header")
        if not isinstance(header, dict):
            raise Unauthenticated(MALFORMED.format(reason="the header is not a JSON object"), "format")
        self.check_algorithm(header.get("alg"))
        kid = header.get("kid")
        if kid is None:
            raise Unauthenticated(NO_KID, "kid")
        if not isinstance(kid, str):
            raise Unauthenticated(MALFORMED.format(reason="kid is not a string"), "format")
        key = await self.keys.find(kid)
        if key is None:
            raise Unauthenticated(UNKNOWN_KID.format(kid=shown(kid), issuer=self.issuer), "kid")
        try:
            signed = jws.deserialize_compact(token, key, algorithms=self.algorithms)
        except BadSignatureError as error:
            raise Unauthenticated(BAD_SIGNATURE, "signature") from error
        except (JoseError, ValueError) as error:
            raise Unauthenticated(MALFORMED.format(reason="it is not a valid JWS"), "format") from error
        try:
            claims = json.loads(signed.payload)
        except ValueError as error:
            raise Unauthenticated(MALFORMED.format(reason="the payload is not JSON"), "format") from error
        if not isinstance(claims, dict):
            raise Unauthenticated(MALFORMED.format(reason="the payload is not a JSON object"), "format")
        return header, claims

    @staticmethod
    def check_algorithm(alg: object) -> None:
        """Refuse any alg but RS256, whatever the token says (RFC 8725 section 3.1)."""
        if alg == ALGORITHM:
            return
        if alg is None or (isinstance(alg, str) and alg.lower() == "none"):
            raise Unauthenticated(ALG_NONE, "alg")
        if isinstance(alg, str) and alg.upper().startswith("HS"):
            raise Unauthenticated(ALG_HMAC.format(alg=shown(alg)), "alg")
        raise Unauthenticated(ALG_OTHER.format(alg=shown(alg)), "alg")

    @classmethod
    def check_times(cls, claims: dict[str, Any]) -> None:
        """Refuse a token with no exp, an expired one, or one not valid yet."""
        cls.check_expiry(claims)
        cls.check_not_before(claims)

    @staticmethod
    def check_expiry(claims: dict[str, Any]) -> None:
        """Refuse a token with no exp, or an expired one."""
        now = time.time()
        exp = claims.get("exp")
        if not is_number(exp):
            raise Unauthenticated(NO_EXP, "exp")
        if exp + CLOCK_LEEWAY_SECONDS <= now:
            raise Unauthenticated(EXPIRED.format(when=utc(exp), ago=int(now - exp)), "exp")

    @staticmethod
    def check_not_before(claims: dict[str, Any]) -> None:
        """Refuse a token whose nbf is still in the future."""
        nbf = claims.get("nbf")
        if nbf is not None and (not is_number(nbf) or nbf - CLOCK_LEEWAY_SECONDS > time.time()):
            raise Unauthenticated(NOT_YET_VALID.format(when=utc(nbf) if is_number(nbf) else shown(nbf)), "nbf")

    def check_issuer_and_audience(self, claims: dict[str, Any]) -> None:
        """Refuse tokens from another issuer, ID tokens, and access tokens for another API."""
        self.check_issuer(claims)
        self.check_audience(claims)

    def check_issuer(self, claims: dict[str, Any]) -> None:
        """Refuse tokens from another issuer than this API's tenant, compared exactly."""
        iss = claims.get("iss")
        if iss != self.issuer:
            template = ISSUER_SLASH if isinstance(iss, str) and iss.rstrip("/") == self.issuer.rstrip("/") \
                else ISSUER_MISMATCH
            raise Unauthenticated(template.format(actual=shown(iss), expected=self.issuer), "iss")

    def check_audience(self, claims: dict[str, Any]) -> None:
        """Refuse ID tokens and access tokens for another API."""
        aud = claims.get("aud")
        audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
        if self.audience in audiences:
            return
        if looks_like_id_token(claims, self.audience):
            raise Unauthenticated(ID_TOKEN.format(aud=shown(aud), audience=self.audience), "token_type")
        raise Unauthenticated(AUDIENCE_MISMATCH.format(actual=shown(aud), expected=self.audience), "aud")

    def require_scopes(self, token: VerifiedToken, required: list[str]) -> None:
        """Refuse with 403 unless the `scope` claim grants every required scope."""
        if not required:
            return
        scope = token.claims.get("scope", "")
        if not isinstance(scope, str):
            raise Forbidden(SCOPE_NOT_STRING, "scope", " ".join(required))
        granted = scope.split()
        for name in required:
            if name not in granted:
                described = f"'{shown(scope)}'" if granted else "empty"
                raise Forbidden(MISSING_SCOPE.format(scope=name, granted=described), "scope", name)

    def require_permissions(self, token: VerifiedToken, required: list[str]) -> None:
        """Refuse with 403 unless the `permissions` claim holds every required permission."""
        permissions = token.claims.get("permissions")
        if not isinstance(permissions, list):
            raise Forbidden(NO_PERMISSIONS_CLAIM.format(audience=self.audience), "permissions", " ".join(required))
        for name in required:
            if name not in permissions:
                granted = ", ".join(shown(p) for p in permissions) if permissions else "none"
                raise Forbidden(MISSING_PERMISSION.format(permission=name, granted=granted), "permissions", name)

    def user_from(self, token: VerifiedToken) -> Auth0User:
        """The fastapi-auth0 user model for a verified token."""
        try:
            user = self.auth0_user_model(**token.claims)
        except ValueError as error:
            raise Unauthenticated(MALFORMED.format(reason="its claims do not fit the user model"), "sub") from error
        if self.email_auto_error and not user.email:
            raise Forbidden(MISSING_EMAIL, "email", "email")
        return user

    def _remember(self, verified: VerifiedToken) -> None:
        """Keep a verified token so that its next use skips the signature check."""
        self._verified[verified.token] = (verified, self.keys.generation, time.monotonic())
        if len(self._verified) > VERIFIED_CACHE_SIZE:
            self._verified.popitem(last=False)


def split_domain(domain: str) -> tuple[str, str]:
    """`(scheme, host[/path])` of a domain given as fastapi-auth0 takes it (`x.auth0.com`) or as a base URL."""
    text = domain.strip().rstrip("/")
    if "://" not in text:
        return "https", text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"domain {domain!r} must be a host name such as my-tenant.eu.auth0.com")
    return parts.scheme, f"{parts.netloc}{parts.path}"


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header, or a 401 saying what is wrong with it."""
    if not authorization or not authorization.strip():
        raise Unauthenticated(MISSING_TOKEN, "authorization_header", error=None)
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise Unauthenticated(NOT_BEARER.format(scheme=shown(scheme, 20)), "authorization_header", error=None)
    credentials = credentials.strip()
    if not credentials:
        raise Unauthenticated(MISSING_TOKEN, "authorization_header", error=None)
    if len(credentials.split(None, 1)) > 1:
        raise Unauthenticated(MALFORMED.format(reason="it contains spaces"), "format")
    return credentials
