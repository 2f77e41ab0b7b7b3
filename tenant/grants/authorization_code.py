"""The authorization code grant, with PKCE (S256 only)."""

import secrets

from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7636.challenge import compare_s256_code_challenge

from tenant.actions.engine import CustomClaims
from tenant.mfa.policy import achieved_acr
from tenant.grants.base import ChecksRedirectUri, IssuesAuth0Tokens, check_audience
from tenant.oauth import Auth0Error, TenantRequest
from tenant.store.users import User
from tenant.tokens import TokenOrder

CODE_KIND = "authorization_code"
# A used code is remembered this long, so that presenting it again revokes what it gave (RFC 6749 section 4.1.2).
SPENT_CODE_KIND = "spent_authorization_code"
SPENT_CODE_MEMORY = 600
CODE_LIFETIME = 600
PKCE_METHOD = "S256"
UNSUPPORTED_PKCE_METHOD = "Unsupported code_challenge_method: {method}. This tenant supports S256 only."


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
            "custom_claims": claims.as_data(),
            "amr": request.amr, "acr": achieved_acr(request),
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
            custom_claims=CustomClaims(**code["custom_claims"]), amr=tuple(code.get("amr") or ()), acr=code.get("acr"),
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
