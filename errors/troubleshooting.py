"""The errors a learner can meet on this site: what each means and what to change, under a stable anchor."""

from dataclasses import dataclass

TROUBLESHOOTING_PATH = "/troubleshooting"

CALLBACK_MISMATCH = "callback-url-mismatch"
MISMATCHING_STATE = "mismatching-state"
INVALID_GRANT = "invalid-grant"
LOGIN_REQUIRED = "login-required"
CONSENT_REQUIRED = "consent-required"
ACCESS_DENIED = "access-denied-by-an-action"
INSUFFICIENT_SCOPE = "insufficient-scope"
INSUFFICIENT_USER_AUTHENTICATION = "insufficient-user-authentication"
MFA_REQUIRED = "mfa-required"
WRONG_AUDIENCE = "wrong-audience"
EXPIRED_TOKEN = "expired-token"
CLOCK_SKEW = "clock-skew"
THIRD_PARTY_COOKIES = "third-party-cookies-blocked"


@dataclass(frozen=True)
class Trouble:
    """One error: where it shows, what it means, what to change."""

    anchor: str
    title: str
    seen_as: str
    meaning: str
    change: str


TROUBLES = (
    Trouble(CALLBACK_MISMATCH, "Callback URL mismatch",
            "The tenant's page says \"Callback URL mismatch\", or the login comes back with error=invalid_request "
            "naming redirect_uri.",
            "The redirect_uri the application sent is not, character for character, one of the application's "
            "Allowed Callback URLs. localhost and 127.0.0.1, http and https, a port or a trailing slash all count.",
            "Add the exact URL to the application's Allowed Callback URLs (step 2 prints this site's own), or start "
            "the login from the address the application is registered with. Behind a proxy, run uvicorn with "
            "--proxy-headers so that the app builds https:// URLs."),
    Trouble(MISMATCHING_STATE, "mismatching_state: the login came back to another browser session",
            "The site's login error page says \"This login link is not one this browser started\".",
            "The state on the callback is not the one this browser's session cookie holds: the login started on "
            "one address and came back on another (localhost versus 127.0.0.1), the cookie was blocked, or an old "
            "callback link was opened again.",
            "Open the site at its canonical address (PUBLIC_URL), allow its cookies, and log in again."),
    Trouble(INVALID_GRANT, "invalid_grant",
            "The token endpoint answers 403 (Auth0) with error invalid_grant; this site's POST /auth/token turns a "
            "wrong password into a 401.",
            "The tenant refused what the request traded in: a wrong email or password, or an authorization code, "
            "device code or refresh token that is unknown, expired, already used or issued to another client. "
            "Refresh tokens rotate: each works once, and a reused one revokes its whole family.",
            "Check the credentials; redeem a code once, quickly, with the same redirect_uri and PKCE verifier; "
            "keep the newest refresh token of each refresh. After a family was revoked, sign in again."),
    Trouble(LOGIN_REQUIRED, "login_required",
            "A silent login (prompt=none, as single-page apps do on load) comes back with error=login_required.",
            "The tenant has no session for this browser, or could not read its session cookie, so it cannot sign "
            "the user in without showing the login page.",
            "Send the user to an interactive login (no prompt=none). If a session should exist, see third-party "
            "cookies below: a blocked cookie looks exactly like no session."),
    Trouble(CONSENT_REQUIRED, "consent_required",
            "A silent login comes back with error=consent_required.",
            "The user has a session, but has not yet accepted what this application asks for (its scopes on the "
            "API). prompt=none may not show the consent screen, so the tenant stops. On a real tenant this always "
            "happens for an app on localhost, whose consent is never skipped.",
            "Log in interactively once and press Accept; or, for a first-party app on a real host name, turn on "
            "Allow Skipping User Consent for the API."),
    Trouble(ACCESS_DENIED, "access_denied from an Action",
            "The login comes back with error=access_denied and the Action's message in error_description.",
            "A post-login Action called api.access.deny(...): the password was right, but a rule of the tenant "
            "refused this login. The user may also have pressed Decline on the consent screen.",
            "Read the description: it is the Action's own message. Change the Action (step 11) or sign in as a "
            "user it lets through."),
    Trouble(INSUFFICIENT_SCOPE, "insufficient_scope (403)",
            "The API answers 403 with WWW-Authenticate: Bearer error=\"insufficient_scope\".",
            "The token is valid, but does not hold what the endpoint needs: a scope the application did not ask "
            "for, or a permission (RBAC) the user or client does not have. With RBAC on, granted scopes are only "
            "those the user holds.",
            "Ask for the scope in the login's scope parameter and grant the permission to the user (through a "
            "role) or to the M2M client; then get a new token. Step 9 shows scopes against permissions."),
    Trouble(INSUFFICIENT_USER_AUTHENTICATION, "insufficient_user_authentication",
            "The API answers 401 with WWW-Authenticate: Bearer error=\"insufficient_user_authentication\" (RFC 9470).",
            "The token is valid, but the user did not sign in strongly enough for this endpoint: it wants a second "
            "factor (its acr or amr claim says how the user signed in).",
            "Log in again asking for it (acr_values, or an Action that requires MFA), pass the second factor, and "
            "call the API with the new token."),
    Trouble(MFA_REQUIRED, "mfa_required",
            "The token endpoint answers 403 with error mfa_required and an mfa_token (password or refresh grant).",
            "The tenant will not issue tokens for this user until a second factor is checked; a grant with no "
            "login page cannot show the prompt.",
            "Use the mfa_token with the MFA API (/mfa/challenge, then the mfa-otp or mfa-oob grant), or switch to "
            "the login page (authorization code flow), which asks for the factor itself."),
    Trouble(WRONG_AUDIENCE, "A wrong audience",
            "The API answers 401 naming the aud check; or the token endpoint answers access_denied \"Service not "
            "found\"; or the access token is opaque, not a JWT.",
            "The token was issued for another API (its aud does not name this one), or no audience was sent at "
            "all, so the tenant issued a token only /userinfo can read. ID tokens are for the application, never "
            "for an API.",
            "Send audience= the API's identifier exactly (this site's is shown on step 2) in the login or token "
            "request, and send the access token, not the ID token."),
    Trouble(EXPIRED_TOKEN, "An expired token",
            "The API answers 401 with error=\"invalid_token\" naming exp; the decoder marks the token EXPIRED.",
            "Access tokens are short-lived on purpose; its exp is in the past.",
            "Get a new one: log in again, or use a refresh token (offline_access) as step 12 shows. A service "
            "keeps its token and renews it shortly before exp."),
    Trouble(CLOCK_SKEW, "Clock skew",
            "A token fresh from the tenant is refused as not valid yet (nbf or iat in the future) or already "
            "expired.",
            "The clock of the machine checking the token differs from the tenant's. Token times are compared to "
            "the local clock, with a small leeway.",
            "Synchronise the server's clock (NTP). Keep a leeway of a few seconds in your checks, never minutes."),
    Trouble(THIRD_PARTY_COOKIES, "Third-party cookies blocked",
            "A single-page app's silent login (prompt=none in a hidden frame) fails with login_required although "
            "the user just signed in; it works in one browser and not another.",
            "A real Auth0 tenant lives on another domain than your app, so its session cookie is third-party in "
            "your page; Safari, Firefox and Chrome's protections block it. (This site's built-in tenant shares "
            "its origin, so you do not meet it here.)",
            "Use refresh tokens in the SPA (useRefreshTokens with offline_access) or give the tenant a custom domain "
            "on your app's site; do not rely on the hidden frame."),
)

ANCHORS = frozenset(trouble.anchor for trouble in TROUBLES)
# Error codes as the tenant, the API and this site's login name them, and the entry that explains each.
ANCHOR_FOR_CODE = {
    "callback_mismatch": CALLBACK_MISMATCH,
    "mismatching_state": MISMATCHING_STATE,
    "invalid_grant": INVALID_GRANT,
    "login_required": LOGIN_REQUIRED,
    "consent_required": CONSENT_REQUIRED,
    "access_denied": ACCESS_DENIED,
    "insufficient_scope": INSUFFICIENT_SCOPE,
    "insufficient_user_authentication": INSUFFICIENT_USER_AUTHENTICATION,
    "mfa_required": MFA_REQUIRED,
}


def troubleshooting_url(anchor: str) -> str:
    """The address of one entry of the troubleshooting page."""
    return f"{TROUBLESHOOTING_PATH}#{anchor}"


def troubleshooting_url_for_code(code: str | None) -> str | None:
    """The entry for an error code, if the page explains it."""
    anchor = ANCHOR_FOR_CODE.get(code or "")
    return troubleshooting_url(anchor) if anchor else None
