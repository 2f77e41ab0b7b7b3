"""Auth0's MFA grants: the second factor that finishes a password login which answered `mfa_required`."""

from authlib.oauth2.rfc6749.grants import BaseGrant, TokenEndpointMixin

from tenant.grants.base import IssuesAuth0Tokens
from tenant.grants.password import BLOCKED_DESCRIPTION
from tenant.mfa.attempts import checked_with_lockout
from tenant.mfa.policy import MFA_METHOD
from tenant.mfa.tokens import mfa_login, spend_mfa_token
from tenant.oauth import Auth0Error, missing_parameter
from tenant.store.users import LoginBlocked, User
from tenant.tokens import TokenOrder

MFA_OTP_GRANT = "http://auth0.com/oauth/grant-type/mfa-otp"
MFA_RECOVERY_CODE_GRANT = "http://auth0.com/oauth/grant-type/mfa-recovery-code"
INVALID_MFA_TOKEN = "Malformed mfa_token"
INVALID_OTP = "Invalid otp_code."
INVALID_RECOVERY_CODE = "Invalid recovery code."
MAX_CODE_LENGTH = 64


class MfaOtp(IssuesAuth0Tokens, TokenEndpointMixin, BaseGrant):
    """`mfa-otp`: the mfa_token and the authenticator app's current code (each code works once)."""

    GRANT_TYPE = MFA_OTP_GRANT
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
    CODE_PARAMETER = "otp"
    WRONG_CODE = INVALID_OTP

    def validate_token_request(self) -> None:
        """Client, mfa_token, then the code, counted as a login attempt for the user's lockout."""
        client = self.allowed_client()
        form = self.request.form
        for name in ("mfa_token", self.CODE_PARAMETER):
            if not form.get(name):
                raise missing_parameter(name)
        login = mfa_login(self.services.store, form["mfa_token"], client.client_id)
        user = self.services.users.by_id(login["user_id"]) if login else None
        if user is None:
            raise Auth0Error("invalid_grant", INVALID_MFA_TOKEN, 403)
        code = form[self.CODE_PARAMETER][:MAX_CODE_LENGTH]
        try:
            right = checked_with_lockout(self.services.store, user.record.email, self.request.client_address, None,
                                         lambda: self.check_code(user, code))
        except LoginBlocked:
            raise Auth0Error("too_many_attempts", BLOCKED_DESCRIPTION, 429) from None
        if not right:
            raise Auth0Error("invalid_grant", self.WRONG_CODE, 403)
        spend_mfa_token(self.services.store, form["mfa_token"])
        self.request.client, self.request.user, self.request.mfa_login = client, user, login
        self.request.auth_time = login.get("auth_time")
        self.request.amr = [MFA_METHOD]

    def check_code(self, user: User, code: str) -> bool:
        """Whether the authenticator app's code is right and new."""
        return self.services.authenticators.check_code(user.get_user_id(), code)

    def create_token_response(self) -> tuple[int, dict, list]:
        """The tokens the password login would have given."""
        body = self.generate_token(user=self.request.user, scope=self.request.mfa_login["scope"])
        return 200, body, self.TOKEN_RESPONSE_HEADER

    def token_order(self, user: User | None, scope: str, include_refresh_token: bool) -> TokenOrder:
        """Audience and scope come from the password login that the mfa_token stands for."""
        audience = self.request.mfa_login["audience"]
        return TokenOrder(client=self.request.client, grant_type=self.GRANT_TYPE, scope=scope, audience=audience,
                          user=user, auth_time=self.request.auth_time, include_refresh_token=include_refresh_token,
                          custom_claims=self.post_login(user, scope, audience), amr=(MFA_METHOD,))


class MfaRecoveryCode(MfaOtp):
    """`mfa-recovery-code`: the mfa_token and the recovery code; the answer carries the new recovery code."""

    GRANT_TYPE = MFA_RECOVERY_CODE_GRANT
    CODE_PARAMETER = "recovery_code"
    WRONG_CODE = INVALID_RECOVERY_CODE

    def check_code(self, user: User, code: str) -> bool:
        """Whether the recovery code is right; it is replaced by a new one at once."""
        self.request.new_recovery_code = self.services.authenticators.use_recovery_code(user.get_user_id(), code)
        return self.request.new_recovery_code is not None

    def create_token_response(self) -> tuple[int, dict, list]:
        """The tokens, and the recovery code that replaces the one just used, as Auth0 answers."""
        status, body, headers = super().create_token_response()
        return status, {**body, "recovery_code": self.request.new_recovery_code}, headers
