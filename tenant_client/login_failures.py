"""Why a web login failed, in plain words, and what to do about it."""

from dataclasses import dataclass

import httpx
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from joserfc.errors import JoseError

from errors.troubleshooting import troubleshooting_url_for_code
from settings import Settings


@dataclass(frozen=True)
class LoginFailure:
    """One failed login, ready for the error page."""

    status_code: int
    code: str
    title: str
    what_happened: str
    how_to_fix: str
    detail: str | None = None

    @property
    def troubleshooting(self) -> str | None:
        """The troubleshooting entry for this failure's code, if there is one."""
        return troubleshooting_url_for_code(self.code)


def access_denied(detail: str | None) -> LoginFailure:
    """The user (or a rule of the tenant) declined the login."""
    return LoginFailure(
        403, "access_denied", "Access denied",
        "The tenant sent you back without signing you in: you cancelled, declined the consent screen, or an Action "
        "on the tenant refused the login.",
        "Try again; if an Action refuses the login, its message is shown below.",
        detail,
    )


def mismatching_state(settings: Settings) -> LoginFailure:
    """The callback's `state` does not match the one stored in this browser's session cookie."""
    return LoginFailure(
        400, "mismatching_state", "This login link is not one this browser started",
        "The tenant sent you back with a state value this browser's session does not know. This happens when the "
        "login started on one address and came back on another (localhost versus 127.0.0.1), when the session "
        "cookie was blocked or expired, or when an old callback link was opened again.",
        f"Open the site at {settings.site_origin} (its canonical address) and log in again from there, with "
        "cookies allowed for it.",
    )


def callback_mismatch(detail: str | None, settings: Settings) -> LoginFailure:
    """The tenant refused the redirect URI."""
    return LoginFailure(
        400, "callback_mismatch", "Callback URL mismatch",
        "The tenant refused to send you back to this site, because this site's callback URL is not among the "
        "application's Allowed Callback URLs.",
        f"In the tenant's dashboard, add {settings.site_origin}/auth/callback to Allowed Callback URLs (and "
        f"{settings.site_origin} to Allowed Logout URLs); if the site's address is wrong, set PUBLIC_URL.",
        detail,
    )


def client_rejected(code: str, detail: str | None, settings: Settings) -> LoginFailure:
    """The tenant does not accept this site's client id or secret."""
    return LoginFailure(
        502, code, "The tenant rejected this site's credentials",
        "The tenant did not accept the client id or secret this site presented when it exchanged the code.",
        "Check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET against the Regular Web Application in the dashboard, and "
        "that the Authorization Code grant is enabled for it.",
        detail,
    )


def tenant_unreachable(detail: str, settings: Settings) -> LoginFailure:
    """The tenant did not answer."""
    return LoginFailure(
        503, "tenant_unreachable", "The tenant cannot be reached",
        f"This site could not talk to the tenant at {settings.tenant_base_url}: it did not answer in time.",
        "Check AUTH0_DOMAIN and the network, wait a moment, and log in again.",
        detail,
    )


def tenant_error(detail: str, settings: Settings) -> LoginFailure:
    """The tenant answered, but with an error or something unreadable."""
    return LoginFailure(
        502, "tenant_error", "The tenant answered with an error",
        f"The tenant at {settings.tenant_base_url} answered a request of this site with an error.",
        "Wait a moment and log in again; if it persists, check the tenant's logs in its dashboard.",
        detail,
    )


def invalid_id_token(detail: str, settings: Settings) -> LoginFailure:
    """The ID token failed verification (signature, issuer, audience, nonce or time)."""
    return LoginFailure(
        502, "invalid_id_token", "The ID token did not pass verification",
        "The tenant returned an ID token this site cannot trust: its signature, issuer, audience, nonce or expiry "
        "is wrong.",
        f"Check that AUTH0_DOMAIN names the tenant that issued it (issuer {settings.issuer}) and that the server's "
        "clock is right, then log in again.",
        detail,
    )


def other_oauth_error(code: str, detail: str | None) -> LoginFailure:
    """Any other error the tenant reported."""
    return LoginFailure(
        400, code, "The login failed",
        f"The tenant reported the error {code}.",
        "Log in again; if it happens again, the description below and the tenant's logs say more.",
        detail,
    )


def explain(error: Exception, settings: Settings, sent_back_with_error: bool = False) -> LoginFailure:
    """The failure page for an exception raised while logging in."""
    # `sent_back_with_error` tells an error the tenant put on the callback URL (the user's side of the login) from one
    # its token endpoint answered to this site (the site's credentials).
    if isinstance(error, MismatchingStateError):
        return mismatching_state(settings)
    if isinstance(error, OAuthError):
        code, detail = error.error or "oauth_error", error.description
        text = f"{code} {detail or ''}".lower()
        if code == "access_denied" and sent_back_with_error:
            return access_denied(detail)
        if "callback" in text or "redirect_uri" in text:
            return callback_mismatch(detail, settings)
        if code in ("invalid_client", "unauthorized_client", "access_denied"):
            return client_rejected(code, detail, settings)
        return other_oauth_error(code, detail)
    if isinstance(error, httpx.TimeoutException | httpx.TransportError):
        return tenant_unreachable(type(error).__name__, settings)
    if isinstance(error, httpx.HTTPStatusError):
        request, status_code = error.request, error.response.status_code
        return tenant_error(f"{request.method} {request.url} answered {status_code}", settings)
    if isinstance(error, JoseError):
        return invalid_id_token(str(error) or type(error).__name__, settings)
    return tenant_error(type(error).__name__, settings)


# What authlib raises for a refused, unreachable or broken tenant (RuntimeError: a discovery document missing an entry).
LOGIN_ERRORS = (OAuthError, httpx.HTTPError, JoseError, ValueError, KeyError, RuntimeError)
