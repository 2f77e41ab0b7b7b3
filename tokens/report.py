"""A verified access token explained in plain words: its header, claims, times and what kind of token it is."""

import math
import time
from typing import Any

HEADER_EXPLANATIONS = {
    "alg": "Signature algorithm. Auth0 signs access tokens with RS256 (its private key); this API accepts nothing else.",
    "typ": "Media type of the token: JWT.",
    "kid": "Key id: which of the tenant's public keys (from /.well-known/jwks.json) checks the signature.",
}

CLAIM_EXPLANATIONS = {
    "iss": "Issuer: the tenant that signed the token. It must equal {issuer} exactly, trailing slash included.",
    "sub": ("Subject: who the token is about. 'auth0|...' is a user of the database connection, "
            "'google-oauth2|...' a social login, '...@clients' a machine-to-machine client."),
    "aud": ("Audience: the APIs the token is meant for. This API is {audience}; when openid was requested the "
            "tenant's /userinfo is a second audience."),
    "azp": "Authorized party: the client id of the application that asked for the token.",
    "scope": ("Scopes granted for this token: what the application asked for, limited to what the user (or client) "
              "holds. Endpoints with a scope check read this claim."),
    "permissions": ("Permissions (RBAC): everything the user or client holds on this API, whatever was asked for. "
                    "/api/admin reads this claim instead of scope."),
    "gty": ("Grant type: 'password' for the Resource Owner Password grant, 'client-credentials' for a "
            "machine-to-machine token. Auth0 leaves it out for interactive logins."),
    "iat": "Issued at: when the tenant signed the token.",
    "exp": "Expires at: after this moment the API refuses the token and the application must get a new one.",
    "nbf": "Not before: the token is not valid until this moment.",
    "jti": "JWT id: a unique id for this token.",
    "sid": "Session id: the tenant session the token came from.",
    "org_id": "Organization: the Auth0 Organization the user signed in to.",
    "amr": ("Authentication methods (RFC 8176): how the user proved who they are in this login; 'mfa' means a second "
            "factor, such as an authenticator app's code. POST /api/transfer needs it (step-up)."),
    "acr": ("Authentication context: the policy the login met, when the application asked for one with acr_values; "
            "Auth0's multi-factor policy is http://schemas.openid.net/pape/policies/2007/06/multi-factor."),
    "https://playground.example/email": ("Custom claim: the user's email, copied into the access token by the "
                                         "post-login Action of step 11 (api.accessToken.setCustomClaim). The URL is "
                                         "only a namespace; fastapi-auth0 reads it as Auth0User.email."),
    "https://playground.example/email_verified": ("Custom claim: whether the user proved that email, set by the same "
                                                  "post-login Action of step 11."),
}
NAMESPACED_CLAIM = ("A custom claim, added by an Action (api.accessToken.setCustomClaim). Namespacing it with a URL "
                    "keeps it from clashing with standard claims.")
UNKNOWN_CLAIM = "Not a standard Auth0 claim: something added by an Action or by another issuer."
TIME_CLAIMS = ("iat", "exp", "nbf", "auth_time")

MACHINE_TO_MACHINE = ("Machine-to-machine: a client credentials token for the client {client}. No user is involved; "
                      "the scopes are those granted to the client.")
PASSWORD_GRANT = ("A user's token via the password grant (Resource Owner Password): the application saw the user's "
                  "password, which only trusted first-party apps may do.")
INTERACTIVE = ("A user's token via an interactive login (authorization code, ideally with PKCE, or the legacy "
               "implicit flow): the user typed the password on the tenant's login page, never in the app.")
OTHER_GRANT = "A user's token via the {gty} grant."


def describe_token(header: dict[str, Any], claims: dict[str, Any], *, issuer: str, audience: str) -> dict[str, Any]:
    """The token's header and claims with readable times, an explanation of each, and its kind."""
    now = time.time()
    return {
        "kind": token_kind(claims),
        "header": header,
        "claims": claims,
        "times": readable_times(claims, now),
        "header_explained": {name: HEADER_EXPLANATIONS.get(name, UNKNOWN_CLAIM) for name in header},
        "claims_explained": {name: explain_claim(name, issuer=issuer, audience=audience) for name in claims},
    }


def readable_times(claims: dict[str, Any], now: float | None = None) -> dict[str, str]:
    """Each time claim (iat, exp, nbf, auth_time) present, as UTC and how far from now."""
    now = time.time() if now is None else now
    return {name: readable_time(claims[name], now) for name in TIME_CLAIMS if is_number(claims.get(name))}


def token_kind(claims: dict[str, Any]) -> str:
    """Who the token is for, and through which grant it was obtained."""
    gty = claims.get("gty")
    sub = claims.get("sub", "")
    if gty == "client-credentials" or (isinstance(sub, str) and sub.endswith("@clients")):
        return MACHINE_TO_MACHINE.format(client=claims.get("azp") or sub.removesuffix("@clients"))
    if gty == "password":
        return PASSWORD_GRANT
    if gty is None:
        return INTERACTIVE
    return OTHER_GRANT.format(gty=gty)


def explain_claim(name: str, *, issuer: str, audience: str) -> str:
    """One claim in plain words."""
    if name in CLAIM_EXPLANATIONS:
        return CLAIM_EXPLANATIONS[name].format(issuer=issuer, audience=audience)
    if name.startswith(("https://", "http://")):
        return NAMESPACED_CLAIM
    return UNKNOWN_CLAIM


def readable_time(timestamp: float, now: float) -> str:
    """A Unix time as UTC, and how far from now."""
    try:
        when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(timestamp))
    except (OverflowError, OSError, ValueError):
        return str(timestamp)
    delta = int(timestamp - now)
    return f"{when} ({'in ' + span(delta) if delta >= 0 else span(-delta) + ' ago'})"


def span(seconds: int) -> str:
    """A duration in the two largest units that matter."""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {seconds} s"
    return f"{seconds} s"


def is_number(value: object) -> bool:
    """True for finite JSON numbers (not booleans)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) or math.isfinite(value)
