"""The refresh token grant, with rotation and reuse detection."""

from authlib.oauth2.rfc6749 import grants

from tenant.grants.base import IssuesAuth0Tokens
from tenant.logs.codes import REFRESH_REUSED
from tenant.oauth import Auth0Error
from tenant.store.users import User
from tenant.tokens import TokenOrder


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
            self.request.log_type = REFRESH_REUSED
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
            amr=tuple(stored.data.get("amr") or ()), acr=stored.data.get("acr"),
        )

    def check_mfa(self, user: User, required: bool) -> None:
        """A refresh keeps what the login that began the family proved, as on Auth0: no second factor is asked."""
