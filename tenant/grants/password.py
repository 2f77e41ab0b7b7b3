"""The password grant and Auth0's password-realm grant, with brute-force protection."""

import time
from dataclasses import replace

from authlib.oauth2.rfc6749 import grants

from server.addresses import is_loopback_host
from tenant.directory import CONNECTION, PASSWORD_REALM_GRANT, Client
from tenant.grants.base import IssuesAuth0Tokens, check_audience
from tenant.http import FORWARDED_FOR_HEADER, whole_number
from tenant.logs.codes import WRONG_PASSWORD, WRONG_USERNAME
from tenant.mfa.policy import MFA_REQUIRED_DESCRIPTION, MfaRequired
from tenant.mfa.tokens import issue_mfa_token
from tenant.oauth import Auth0Error, missing_parameter
from tenant.store.users import FAILED_LOGIN_WINDOW, MAX_FAILED_LOGINS, USER_BLOCKED, LoginBlocked, User, UserBlocked
from tenant.tokens import TokenOrder

# This tenant's extension beside Auth0's header: the end user's browser, so that a room behind one address is not
# one lockout (sent by the site's /auth/token, from the device cookie of the visitor's browser).
FORWARDED_BROWSER_HEADER = "playground-forwarded-browser"
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


class MfaRequiredError(Auth0Error):
    """Auth0's 403 `mfa_required`, with the `mfa_token` that continues the login at the MFA API."""

    def __init__(self, mfa_token: str) -> None:
        super().__init__("mfa_required", MFA_REQUIRED_DESCRIPTION, 403)
        self.mfa_token = mfa_token

    def get_body(self) -> list[tuple[str, str]]:
        """The error, its description and the mfa_token."""
        return [*super().get_body(), ("mfa_token", self.mfa_token)]


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
            signed_in = self.services.users.authenticate(params["username"], params["password"], address,
                                                         self.forwarded(client, FORWARDED_BROWSER_HEADER))
        except UserBlocked as blocked:
            self.request.log_type = blocked.log_type
            raise Auth0Error("unauthorized", USER_BLOCKED, 401) from None
        except LoginBlocked as blocked:
            self.request.log_type = blocked.log_type
            raise Auth0Error("too_many_attempts", BLOCKED_DESCRIPTION, 429) from None
        user, self.request.named_user = signed_in.user, signed_in.named
        if user is None:
            self.request.log_type = WRONG_PASSWORD if signed_in.named else WRONG_USERNAME
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

    def check_mfa(self, user: User, required: bool) -> None:
        """A login that needs MFA answers `mfa_required` and an mfa_token instead of tokens (Auth0's MFA API)."""
        try:
            super().check_mfa(user, required)
        except MfaRequired:
            login = {"user_id": user.get_user_id(), "client_id": self.request.client.client_id,
                     "audience": self.request.audience, "scope": self.request.payload.data.get("scope") or "",
                     "auth_time": self.request.auth_time}
            raise MfaRequiredError(issue_mfa_token(self.services.store, login)) from None

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
