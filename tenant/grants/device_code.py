"""The device code grant (RFC 8628): the device polls the token endpoint until the user has decided."""

import time

from authlib.oauth2.rfc6749.grants import BaseGrant, TokenEndpointMixin

from tenant.directory import DEVICE_CODE_GRANT
from tenant.grants.base import IssuesAuth0Tokens
from tenant.mfa.policy import MFA_REQUIRED_DESCRIPTION, MfaRequired
from tenant.oauth import Auth0Error, missing_parameter
from tenant.store.store import Store
from tenant.store.users import User
from tenant.tokens import TokenOrder

DEVICE_CODE_LIFETIME = 900
POLL_INTERVAL = 5
SLOW_DOWN_STEP = 5
# RFC 8628 lets the interval grow on each slow_down; a device that never waits still hears a bounded one.
MAX_POLL_INTERVAL = 60
# Records outlive their codes by this much, so that a late poll hears expired_token rather than invalid_grant.
EXPIRED_GRACE = 3600
DEVICE_CODE_KIND, USER_CODE_KIND = "device_code", "device_user_code"
FLOW_KIND, PACING_KIND, DECISION_KIND = "device_flow", "device_pacing", "device_decision"
PENDING = "User has yet to authorize device code."
EXPIRED = "User has not authorized device code within the specified time."
DENIED = "User has denied access."
INVALID = "Invalid or expired device code."
DEVICE_NEEDS_MFA = (f"{MFA_REQUIRED_DESCRIPTION}: sign in to this tenant with your authenticator app first "
                    "(log in to any application), then confirm the device again.")
SLOW_DOWN = "You are polling faster than the specified interval of {interval} seconds."


def now() -> float:
    """The current time, in seconds."""
    return time.time()


def user_code_key(typed: str) -> str:
    """The user code as typed, in any case and with or without its dash or spaces."""
    return "".join(character for character in typed.upper() if character.isalnum())[:32]


def pace(store: Store, flow: str) -> None:
    """Refuse a poll that comes sooner than the interval, and lengthen the interval, as RFC 8628 asks."""
    moment = now()
    pacing = store.get_grant(PACING_KIND, flow) or {"last": 0.0, "interval": POLL_INTERVAL}
    too_soon = moment - pacing["last"] < pacing["interval"]
    interval = min(pacing["interval"] + SLOW_DOWN_STEP, MAX_POLL_INTERVAL) if too_soon else pacing["interval"]
    store.put_grant(PACING_KIND, flow, {"last": moment, "interval": interval}, DEVICE_CODE_LIFETIME + EXPIRED_GRACE)
    if too_soon:
        raise Auth0Error("slow_down", SLOW_DOWN.format(interval=pacing["interval"]), 429)


def poll(store: Store, code: str, client_id: str) -> dict:
    """The approved flow of a device code, or the error that tells the device what to do next."""
    reference = store.get_grant(DEVICE_CODE_KIND, code)
    flow = store.get_grant(FLOW_KIND, reference["flow"]) if reference else None
    if flow is None or flow["client_id"] != client_id:
        raise Auth0Error("invalid_grant", INVALID, 403)
    if now() >= flow["expires_at"]:
        raise Auth0Error("expired_token", EXPIRED, 403)
    pace(store, reference["flow"])
    decision = store.take_grant(DECISION_KIND, reference["flow"])
    if decision is None:
        raise Auth0Error("authorization_pending", PENDING, 403)
    store.drop_grant(DEVICE_CODE_KIND, code)
    if not decision["approved"]:
        raise Auth0Error("access_denied", DENIED, 403)
    return flow | decision


class DeviceCode(IssuesAuth0Tokens, TokenEndpointMixin, BaseGrant):
    """The device code grant at /oauth/token: public clients poll until the user has decided."""

    GRANT_TYPE = DEVICE_CODE_GRANT
    TOKEN_ENDPOINT_AUTH_METHODS = ["none", "client_secret_basic", "client_secret_post"]

    def validate_token_request(self) -> None:
        """Client and grant, then the state of the device code."""
        client = self.allowed_client()
        code = self.request.form.get("device_code")
        if not code:
            raise missing_parameter("device_code")
        flow = poll(self.services.store, code, client.client_id)
        self.request.client = client
        self.request.user = self.services.users.by_id(flow["user_id"])
        self.request.device_flow = flow
        self.request.amr = list(flow.get("amr") or [])
        if self.request.user is None:
            raise Auth0Error("invalid_grant", INVALID, 403)

    def create_token_response(self) -> tuple[int, dict, list]:
        """Tokens for the user who approved the device."""
        flow = self.request.device_flow
        return 200, self.generate_token(user=self.request.user, scope=flow["scope"]), self.TOKEN_RESPONSE_HEADER

    def token_order(self, user: User | None, scope: str, include_refresh_token: bool) -> TokenOrder:
        """The audience and session come from the flow the user approved."""
        flow = self.request.device_flow
        return TokenOrder(client=self.request.client, grant_type=self.GRANT_TYPE, scope=scope,
                          audience=flow["audience"], user=user, session_id=flow["session_id"],
                          auth_time=flow.get("auth_time"),
                          include_refresh_token=include_refresh_token,
                          custom_claims=self.post_login(user, scope, flow["audience"]), amr=tuple(self.request.amr))

    def check_mfa(self, user: User, required: bool) -> None:
        """The device was confirmed on /activate: a login that needs MFA needs a tenant session that passed it."""
        try:
            super().check_mfa(user, required)
        except MfaRequired:
            raise Auth0Error("access_denied", DEVICE_NEEDS_MFA, 403) from None
