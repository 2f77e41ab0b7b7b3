"""What every grant shares: the tenant's services, Auth0's tokens, the redirect URI and audience checks."""

from dataclasses import dataclass

from authlib.oauth2.rfc6749 import InvalidRequestError, grants

from tenant.actions.engine import ActionDenied, CustomClaims
from tenant.actions.event import LoginRequest, login_event
from tenant.actions.post_login import PostLogin
from tenant.directory import Client, Directory
from tenant.logs.codes import FAILED_LOGIN
from tenant.mfa.authenticators import Authenticators
from tenant.mfa.policy import achieved_acr, require_mfa
from tenant.oauth import Auth0Error, TenantRequest, describable
from tenant.store.revocations import RevokedGrants
from tenant.store.store import Store
from tenant.store.users import User, Users
from tenant.tokens import TokenFactory, TokenOrder


# Auth0 cannot send the browser anywhere in a flow without one; the login fails instead.
REDIRECT_NOT_INTERACTIVE = "api.redirect.sendUserTo is not possible in a non-interactive flow"


@dataclass(frozen=True)
class TenantServices:
    """What the grants need from the rest of the tenant."""

    directory: Directory
    store: Store
    users: Users
    tokens: TokenFactory
    actions: PostLogin
    revocations: RevokedGrants
    authenticators: Authenticators


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
            amr=tuple(self.request.amr), acr=achieved_acr(self.request),
        )

    def post_login(self, user: User | None, scope: str, audience: str | None) -> CustomClaims:
        """What the post-login Actions set; ran already at the end of an interactive login, else run now."""
        if user is None:
            return CustomClaims()
        ran = getattr(self.request, "post_login", None)
        if ran is not None:
            self.check_mfa(user, required=ran.mfa is not None)
            return ran
        request = LoginRequest(self.request.client_address, self.request.headers.get("user-agent", ""),
                               self.request.headers.get("host", ""))
        event = login_event(user, self.request.client, audience, self.services.directory.api.identifier, scope,
                            self.GRANT_TYPE, request)
        try:
            result = self.services.actions.run(user.get_user_id(), event)
        except ActionDenied as denied:
            self.request.log_type, self.request.log_description = FAILED_LOGIN, denied.description
            raise Auth0Error("access_denied", denied.description, 403, **self.refusal_redirect()) from None
        if result.redirect is not None:
            raise Auth0Error("access_denied", REDIRECT_NOT_INTERACTIVE, 403, **self.refusal_redirect())
        self.check_mfa(user, required=result.claims.mfa is not None)  # an Action's api.multifactor.enable
        return result.claims

    def check_mfa(self, user: User, required: bool) -> None:
        """Stop this login until it has passed MFA, when it needs MFA (see tenant.mfa.policy.require_mfa)."""
        user_id = user.get_user_id()
        require_mfa(self.request, user_id, self.services.authenticators.enrolled(user_id), required)

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
