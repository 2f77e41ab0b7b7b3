"""Every check this API runs on a token, each run on its own so that the decoder can mark each passed or failed."""

from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

from tokens.verification import (
    ENCRYPTED_TOKEN,
    MALFORMED,
    MAX_TOKEN_LENGTH,
    OPAQUE_TOKEN,
    TOO_LONG,
    Auth0,
    AuthError,
    b64url_json,
    is_number,
    shown,
    utc,
)

SIGNATURE_SKIPPED = "Not checked: this API checks signatures made with RS256 only, and this token names another alg."
PASSED = {
    "alg": "RS256: signed with the tenant's private key, checked with its public key.",
    "signature": "Signed by the key {kid} of {issuer}, and nothing changed since.",
    "exp": "Not expired: valid until {when}.",
    "nbf": "Valid from {when}.",
    "nbf_absent": "No nbf: valid from the moment it was issued.",
    "iss": "Issued by {issuer}, the tenant this API trusts.",
    "aud": "Meant for this API: aud includes {audience}.",
}
TITLES = {
    "alg": "Algorithm (alg)",
    "signature": "Signature, against the tenant's published keys (JWKS)",
    "exp": "Expiry (exp)",
    "nbf": "Not before (nbf)",
    "iss": "Issuer (iss)",
    "aud": "Audience (aud)",
}


class NotAJwt(ValueError):
    """The text is not a compact JWT: nothing to decode or check."""


@dataclass(frozen=True)
class Check:
    """One check: its name, whether the token passed it, and why in plain words."""

    name: str
    title: str
    passed: bool
    detail: str


def read_jwt(token: str, audience: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and claims of a compact JWT, unverified; NotAJwt with the reason otherwise."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise NotAJwt(TOO_LONG.format(length=len(token), limit=MAX_TOKEN_LENGTH))
    segments = token.split(".")
    if len(segments) == 1:
        raise NotAJwt(OPAQUE_TOKEN.format(audience=audience))
    if len(segments) == 5:
        raise NotAJwt(ENCRYPTED_TOKEN.format(audience=audience))
    if len(segments) != 3:
        raise NotAJwt(MALFORMED.format(reason=f"a JWT has 3 base64url parts separated by dots, this has {len(segments)}"))
    try:
        header, claims = b64url_json(segments[0], "header"), b64url_json(segments[1], "payload")
    except AuthError as error:
        raise NotAJwt(str(error.detail)) from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise NotAJwt(MALFORMED.format(reason="the header and the payload must both be JSON objects"))
    return header, claims


async def outcome(name: str, run: Callable[[], Awaitable[None] | None], passed: str) -> Check:
    """Run one check; a refusal becomes a failed check carrying the refusal's own words."""
    try:
        result = run()
        if result is not None:
            await result
    except AuthError as error:
        return Check(name, TITLES[name], False, str(error.detail))
    return Check(name, TITLES[name], True, passed)


async def check_token(auth: Auth0, token: str) -> list[Check]:
    """Each check of `auth` on `token`, in the order the API runs them; NotAJwt when there is nothing to check."""
    issuer, audience = auth.issuer, auth.audience
    header, claims = read_jwt(token, audience)
    alg = await outcome("alg", lambda: auth.check_algorithm(header.get("alg")), PASSED["alg"])
    if alg.passed:
        signature = await outcome("signature", lambda: auth.verify_signature(token),
                                  PASSED["signature"].format(kid=shown(header.get("kid")), issuer=issuer))
    else:
        signature = Check("signature", TITLES["signature"], False, SIGNATURE_SKIPPED)
    exp, nbf = (utc(value) if is_number(value) else "" for value in (claims.get("exp"), claims.get("nbf")))
    return [
        alg,
        signature,
        await outcome("exp", lambda: auth.check_expiry(claims), PASSED["exp"].format(when=exp)),
        await outcome("nbf", lambda: auth.check_not_before(claims),
                      PASSED["nbf"].format(when=nbf) if "nbf" in claims else PASSED["nbf_absent"]),
        await outcome("iss", lambda: auth.check_issuer(claims), PASSED["iss"].format(issuer=issuer)),
        await outcome("aud", lambda: auth.check_audience(claims), PASSED["aud"].format(audience=audience)),
    ]


def report(checks: list[Check], auth: Auth0) -> dict[str, Any]:
    """The answer of the checks endpoint."""
    return {
        "accepted": all(check.passed for check in checks),
        "issuer": auth.issuer,
        "audience": auth.audience,
        "checks": [asdict(check) for check in checks],
    }
