"""The grants the tenant offers: authlib's, with Auth0's rules for audience, users and token shapes."""

import secrets
import time
from dataclasses import dataclass, replace

from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, InvalidRequestError, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7636.challenge import compare_s256_code_challenge

from server.addresses import is_loopback_host
from tenant.actions.engine import ActionDenied, ActionEngine, CustomClaims, login_event
from tenant.directory import CONNECTION, PASSWORD_REALM_GRANT, Client, Directory
from tenant.http import FORWARDED_FOR_HEADER, whole_number
from tenant.oauth import Auth0Error, TenantRequest, describable, missing_parameter
from tenant.store.revocations import RevokedGrants
from tenant.store.store import Store
from tenant.tokens import TokenFactory, TokenOrder
from tenant.store.users import FAILED_LOGIN_WINDOW, MAX_FAILED_LOGINS, LoginBlocked, User, Users

CODE_KIND = "authorization_code"
# A used code is remembered this long, so that presenting it again revokes what it gave (RFC 6749 section 4.1.2).
SPENT_CODE_KIND = "spent_authorization_code"
SPENT_CODE_MEMORY = 600
# This tenant's extension beside Auth0's header: the end user's browser, so that a room behind one address is not
# one lockout (sent by the site's /auth/token, from the device cookie of the visitor's browser).
FORWARDED_BROWSER_HEADER = "playground-forwarded-browser"
CODE_LIFETIME = 600
PKCE_METHOD = "S256"
UNSUPPORTED_PKCE_METHOD = "Unsupported code_challenge_method: {method}. This tenant supports S256 only."
# Not Auth0's: the playground's demo of an expiring token. Shortening a token's life never widens access.
DEMO_LIFETIME_PARAMETER = "playground_demo_lifetime"
DEMO_LIFETIMES = range(5, 61)
DEMO_LIFETIME_NOT_HERE = f"{DEMO_LIFETIME_PARAMETER} is accepted only from this playground's own server."
DEMO_LIFETIME_RANGE = f"{DEMO_LIFETIME_PARAMETER} must be a whole number of seconds from 5 to 60."
# Auth0's first sentence; the second says what this tenant, which sends no email, really does.
BLOCKED_DESCRIPTION = (
    "Your account has been blocked after multiple consecutive login attempts. "
    f"This demo tenant sends no email: after {MAX_FAILED_LOGINS} failed attempts from one address, logins to this "
    f"account from there are refused until {FAILED_LOGIN_WINDOW // 60} minutes have passed since the last one."
)


@dataclass(frozen=True)
class TenantServices:
    """What the grants need from the rest of the tenant."""

    directory: Directory
    store: Store
    users: Users
    tokens: TokenFactory
    actions: ActionEngine
    revocations: RevokedGrants


def check_audience(directory: Directory, audience: str | None, **redirect: object) -> None:
    """Refuse an audience the tenant has no API for, as Auth0 does."""
    if audience is not None and audience != directory.api.identifier:
        raise Auth0Error("access_denied", f"Service not found: {audience}", 403, **redirect)


class IssuesAuth0Tokens:
    """Grant mixin: tokens come from the tenant's TokenFactory rather than authlib's bearer generator."""

    request: TenantRequest
    server: object
    GRANT_TYPE: str

    @property
    def services(self) -> TenantServices:
        """The tenant's services, attached to the server."""
        return self.server.services

    def token_order(self, user: User | None, scope: str, include_refresh_token: bool) -> TokenOrder:
        """What to issue for this request."""
        return TokenOrder(
            client=self.request.client, grant_type=self.GRANT_TYPE, scope=scope, audience=self.request.audience,
            user=user, include_refresh_token=include_refresh_token, session_id=self.request.session_id,
            auth_time=self.request.auth_time, nonce=self.request.payload.data.get("nonce"),
            custom_claims=self.post_login(user, scope, self.request.audience),
        )

    def post_login(self, user: User | None, scope: str, audience: str | None) -> CustomClaims:
        """Run the post-login Actions for a user's login; when they refuse it, the login fails as on Auth0."""
        if user is None:
            return CustomClaims()
        event = login_event(user, self.request.client, audience, self.services.directory.api.identifier, scope,
                            self.GRANT_TYPE, self.request.client_address, self.request.headers.get("user-agent", ""))
        try:
            return self.services.actions.run(event)
        except ActionDenied as denied:
            raise Auth0Error("access_denied", denied.description, 403, **self.refusal_redirect()) from None

    def refusal_redirect(self) -> dict:
        """Where a refused login is reported: in the token endpoint's answer, unless a grant redirects."""
        return {}

    def allowed_client(self) -> Client:
        """The authenticated client, refused as Auth0 refuses it when this grant is not enabled for it."""
        client = self.authenticate_token_endpoint_client()
        if not client.check_grant_type(self.GRANT_TYPE):
            raise Auth0Error("unauthorized_client", f"Grant type '{self.GRANT_TYPE}' not allowed for the client.", 403)
        return client

    def generate_token(self, user: User | None = None, scope: str | None = None, grant_type: str | None = None,
                       expires_in: int | None = None, include_refresh_token: bool = True) -> dict:
        """The token response body."""
        return self.services.tokens.issue(self.token_order(user, scope or "", include_refresh_token))


class ChecksRedirectUri:
    """Grant mixin: authlib's redirect URI check, naming a refused URI in a description RFC 6749 allows."""

    @staticmethod
    def validate_authorization_redirect_uri(request: TenantRequest, client: Client) -> str:
        """The requested redirect URI, which must be one of the client's callbacks."""
        redirect_uri = request.payload.redirect_uri
        if redirect_uri and not client.check_redirect_uri(redirect_uri):
            raise InvalidRequestError(f"Redirect URI {describable(redirect_uri)} is not supported by client.")
        return grants.AuthorizationEndpointMixin.validate_authorization_redirect_uri(request, client)


class StoredCode(AuthorizationCodeMixin):
    """An authorization code as kept in the store."""

    def __init__(self, data: dict) -> None:
        self.data = data

    def get_redirect_uri(self) -> str:
        """The redirect_uri the code was issued for."""
        return self.data["redirect_uri"]

    def get_scope(self) -> str:
        """The scope that was asked for."""
        return self.data["scope"]


class AuthorizationCode(IssuesAuth0Tokens, ChecksRedirectUri, grants.AuthorizationCodeGrant):
    """Authorization code, with PKCE for public clients and the audience and nonce carried by the code."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def validate_authorization_request(self) -> str:
        """authlib's checks, then the audience."""
        redirect_uri = super().validate_authorization_request()
        check_audience(self.services.directory, self.request.audience, redirect_uri=redirect_uri)
        return redirect_uri

    def save_authorization_code(self, code: str, request: TenantRequest) -> None:
        """Keep the code (by digest) with everything the token request will need."""
        data = request.payload.data
        claims = self.post_login(request.user, request.scope or "", request.audience)
        self.services.store.put_grant(CODE_KIND, code, {
            "client_id": request.client.client_id, "redirect_uri": request.payload.redirect_uri,
            "scope": request.scope or "", "user_id": request.user.get_user_id(), "audience": request.audience,
            "nonce": data.get("nonce"), "code_challenge": data.get("code_challenge"),
            "code_challenge_method": data.get("code_challenge_method"), "session_id": request.session_id,
            "auth_time": request.auth_time, "grant_id": secrets.token_urlsafe(16),
            "custom_claims": {"access": claims.access, "id": claims.id},
        }, CODE_LIFETIME)

    def refusal_redirect(self) -> dict:
        """A refused login goes back to the application's callback, as Auth0 sends it."""
        return {"redirect_uri": self.request.payload.redirect_uri}

    def query_authorization_code(self, code: str, client: object) -> StoredCode | None:
        """Consume the code: a foreign code finds nothing, and a replayed one revokes every token it gave."""
        store = self.services.store
        data = store.spend_grant(CODE_KIND, SPENT_CODE_KIND, code, SPENT_CODE_MEMORY)
        if data is None:
            spent = store.get_grant(SPENT_CODE_KIND, code)
            if spent is not None and spent.get("grant_id"):
                self.services.revocations.revoke(spent["grant_id"])
            return None
        if data["client_id"] != client.client_id:
            return None
        return StoredCode(data)

    def delete_authorization_code(self, authorization_code: StoredCode) -> None:
        """Already consumed when it was looked up."""

    def authenticate_user(self, authorization_code: StoredCode) -> User | None:
        """The user the code was issued to."""
        return self.services.users.by_id(authorization_code.data["user_id"])

    def token_order(self, user: User | None, scope: str, include_refresh_token: bool) -> TokenOrder:
        """Audience, nonce and session come from the authorization request, via the code."""
        code = self.request.authorization_code.data
        return TokenOrder(
            client=self.request.client, grant_type=self.GRANT_TYPE, scope=scope, audience=code["audience"],
            user=user, nonce=code["nonce"], session_id=code["session_id"], auth_time=code.get("auth_time"),
            refresh_family=code.get("grant_id"), include_refresh_token=include_refresh_token,
            custom_claims=CustomClaims(**code["custom_claims"]),
        )


class PkceChallenge(CodeChallenge):
    """PKCE with S256 only, as on Auth0 (RFC 9700 rules out `plain`), required of public clients."""

    SUPPORTED_CODE_CHALLENGE_METHOD = [PKCE_METHOD]
    CODE_CHALLENGE_METHODS = {PKCE_METHOD: compare_s256_code_challenge}

    def validate_code_challenge(self, grant: grants.AuthorizationCodeGrant, redirect_uri: str) -> None:
        """Refuse any method but S256, `plain` included (which RFC 7636 assumes when a challenge comes alone)."""
        data = grant.request.payload.data
        method = data.get("code_challenge_method") or ("plain" if data.get("code_challenge") else None)
        if method is not None and method != PKCE_METHOD:
            raise Auth0Error("invalid_request", UNSUPPORTED_PKCE_METHOD.format(method=method))
        super().validate_code_challenge(grant, redirect_uri)

    def get_authorization_code_challenge(self, authorization_code: StoredCode) -> str | None:
        """The challenge sent to /authorize."""
        return authorization_code.data.get("code_challenge")

    def get_authorization_code_challenge_method(self, authorization_code: StoredCode) -> str | None:
        """The challenge method sent to /authorize."""
        return authorization_code.data.get("code_challenge_method")


class Implicit(IssuesAuth0Tokens, ChecksRedirectUri, grants.ImplicitGrant):
    """Implicit grant (legacy): `token`, `id_token token` and `id_token`, delivered in the fragment."""

    RESPONSE_TYPES = {"token", "id_token token", "id_token"}

    def validate_authorization_request(self) -> str:
        """authlib's checks, then the audience and OpenID Connect's required nonce."""
        redirect_uri = super().validate_authorization_request()
        redirect = {"redirect_uri": redirect_uri, "redirect_fragment": True}
        check_audience(self.services.directory, self.request.audience, **redirect)
        if "id_token" in self.request.payload.response_type.split():
            if not self.request.payload.data.get("nonce"):
                raise Auth0Error("invalid_request", "Nonce is required for the id_token response type", **redirect)
            if "openid" not in self.request.scope.split():
                raise Auth0Error("invalid_request", "The id_token response type requires the openid scope", **redirect)
        return redirect_uri

    def token_order(self, user: User | None, scope: str, include_refresh_token: bool) -> TokenOrder:
        """No refresh token in the front channel; an ID token only when the response type names it."""
        response_types = self.request.payload.response_type.split()
        order = super().token_order(user, scope, False)
        return replace(order, include_id_token="id_token" in response_types, id_token_only=response_types == ["id_token"])

    def refusal_redirect(self) -> dict:
        """A refused login goes back in the fragment, like every implicit answer."""
        return {"redirect_uri": self.request.payload.redirect_uri, "redirect_fragment": True}


class Password(IssuesAuth0Tokens, grants.ResourceOwnerPasswordCredentialsGrant):
    """Resource owner password grant (trusted first-party apps only), with Auth0's brute-force protection."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def validate_token_request(self) -> None:
        """Client, grant, parameters, audience, realm, then the user's credentials."""
        client = self.allowed_client()
        params = self.request.form
        for name in ("username", "password"):
            if not params.get(name):
                raise missing_parameter(name)
        check_audience(self.services.directory, self.request.audience)
        self.validate_realm(params.get("realm"))
        address = self.forwarded(client, FORWARDED_FOR_HEADER) or self.request.client_address
        try:
            user = self.services.users.sign_in(params["username"], params["password"], address,
                                               self.forwarded(client, FORWARDED_BROWSER_HEADER))
        except LoginBlocked:
            raise Auth0Error("too_many_attempts", BLOCKED_DESCRIPTION, 429) from None
        if user is None:
            raise Auth0Error("invalid_grant", "Wrong email or password.", 403)
        self.request.client = client
        self.request.user = user
        self.request.auth_time = int(time.time())
        self.request.demo_lifetime = self.demo_lifetime(client)

    def demo_lifetime(self, client: Client) -> int | None:
        """A demo-only short access-token lifetime, asked for by the site's own in-process call alone."""
        value = self.request.form.get(DEMO_LIFETIME_PARAMETER)
        if value is None:
            return None
        if client.is_public or not self.request.from_the_site:
            raise Auth0Error("invalid_request", DEMO_LIFETIME_NOT_HERE)
        lifetime = whole_number(value)
        if lifetime not in DEMO_LIFETIMES:
            raise Auth0Error("invalid_request", DEMO_LIFETIME_RANGE)
        return lifetime

    def token_order(self, user: User | None, scope: str, include_refresh_token: bool) -> TokenOrder:
        """Auth0's order, with the demo lifetime when one was asked for."""
        order = super().token_order(user, scope, include_refresh_token)
        lifetime = getattr(self.request, "demo_lifetime", None)
        return replace(order, access_token_lifetime=lifetime) if lifetime else order

    def forwarded(self, client: Client, header: str) -> str | None:
        """Whose failed logins count: a confidential client's server may name its user's address, as on Auth0."""
        # The demo clients' secrets are published, so only a server on this machine (the site itself, the
        # tutorial apps) is trusted to name it; anyone else would use it to escape the lockout.
        value = self.request.headers.get(header, "").strip()
        if value and not client.is_public and is_loopback_host(self.request.client_address):
            return value[:64]
        return None

    def validate_realm(self, realm: str | None) -> None:
        """The plain password grant uses the default directory."""


class PasswordRealm(Password):
    """Auth0's password grant that names the connection (`realm`)."""

    GRANT_TYPE = PASSWORD_REALM_GRANT

    def validate_realm(self, realm: str | None) -> None:
        """The realm must be the tenant's database connection."""
        if not realm:
            raise missing_parameter("realm")
        if realm != CONNECTION:
            raise Auth0Error("invalid_request", f"Unknown realm: {realm}. This tenant has {CONNECTION}.")


class ClientCredentials(IssuesAuth0Tokens, grants.ClientCredentialsGrant):
    """Client credentials (machine to machine): only for an API the client has a grant for."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def validate_token_request(self) -> None:
        """Client, grant, then the API it wants a token for."""
        client = self.allowed_client()
        audience = self.request.audience
        if audience is None:
            raise Auth0Error("access_denied", "No audience parameter was provided, and no default audience has been "
                             "configured", 403)
        check_audience(self.services.directory, audience)
        if audience not in client.api_grants:
            raise Auth0Error("access_denied", f'Client is not authorized to access "{audience}". You need to create '
                             'a "client-grant" associated to this API.', 403)
        refused = [scope for scope in (self.request.payload.scope or "").split()
                   if scope in self.services.directory.api.permissions and scope not in client.api_grants[audience]]
        if refused:
            raise Auth0Error("access_denied", f"Client has not been granted scopes: {', '.join(refused)}", 403)
        self.request.client = client


class StoredRefreshToken:
    """A refresh token as kept in the store."""

    def __init__(self, data: dict) -> None:
        self.data = data

    def check_client(self, client: object) -> bool:
        """Only the client it was issued to may use it."""
        return self.data["client_id"] == client.client_id

    def get_scope(self) -> str:
        """The scope granted with it."""
        return self.data["scope"]


class RefreshToken(IssuesAuth0Tokens, grants.RefreshTokenGrant):
    """Refresh token grant with rotation: each token works once; reusing one revokes its whole family."""
    # The token is used up only once the request passed every check: another client presenting it, or a scope it does
    # not hold, is refused without costing its owner the family.

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> StoredRefreshToken | None:
        """The live token, not yet used; presenting a used one again revokes its family."""
        outcome, data = self.services.store.peek_refresh_token(refresh_token)
        if outcome == "reused":
            self.services.store.use_refresh_token(refresh_token)  # reuse detected: the whole family goes
        if outcome != "ok" or self.services.revocations.is_revoked(data["family"]):
            raise Auth0Error("invalid_grant", "Unknown or invalid refresh token.", 403)
        return StoredRefreshToken(data)

    def validate_token_request(self) -> None:
        """Client, token and scope checked first; then the token is used up (one of two racing requests wins)."""
        super().validate_token_request()
        outcome, _ = self.services.store.use_refresh_token(self.request.form["refresh_token"])
        if outcome != "ok":
            raise Auth0Error("invalid_grant", "Unknown or invalid refresh token.", 403)

    def authenticate_user(self, refresh_token: StoredRefreshToken) -> User | None:
        """The user the token was issued to."""
        return self.services.users.by_id(refresh_token.data["user_id"])

    def revoke_old_credential(self, refresh_token: StoredRefreshToken) -> None:
        """Already marked used."""

    def token_order(self, user: User | None, scope: str, include_refresh_token: bool) -> TokenOrder:
        """The same audience and session; the new refresh token joins the old one's family."""
        stored = self.request.refresh_token
        return TokenOrder(
            client=self.request.client, grant_type=self.GRANT_TYPE, scope=scope, audience=stored.data["audience"],
            user=user, session_id=stored.data["session_id"], auth_time=stored.data.get("auth_time"),
            refresh_family=stored.data["family"], include_refresh_token=include_refresh_token,
            custom_claims=self.post_login(user, scope, stored.data["audience"]),
        )


def register_grants(server: object, services: TenantServices) -> None:
    """Register the tenant's grants on the authlib server."""
    server.services = services
    server.register_grant(AuthorizationCode, [PkceChallenge(required=True)])
    server.register_grant(Implicit)
    server.register_grant(Password)
    server.register_grant(PasswordRealm)
    server.register_grant(ClientCredentials)
    server.register_grant(RefreshToken)
