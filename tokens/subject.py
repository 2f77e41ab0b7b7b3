"""Who a token's `sub` is, in words: the email when the token or the tenant's /userinfo can tell."""

from typing import Any

from tenant_client.authentication_api import AuthenticationApi, TenantUnreachable

MACHINE = "The machine-to-machine client {client}: no user is involved."
FROM_TOKEN = "The user {email} (the token's {claim} claim says so)."
FROM_USERINFO = "The user {email}, as the tenant's /userinfo answers for this token."
UNKNOWN_USER = ("A user whose id at the tenant is {sub}. The token names no email: ask for the openid and email "
                "scopes to let an API look it up at /userinfo, or add it with an Action.")


def email_claim(claims: dict[str, Any]) -> tuple[str, str] | None:
    """The claim holding the user's email, `email` or a namespaced `.../email` one, and its value."""
    for name, value in claims.items():
        if (name == "email" or name.endswith("/email")) and isinstance(value, str) and "@" in value:
            return name, value
    return None


def audiences(claims: dict[str, Any]) -> list[str]:
    """The token's `aud`, always as a list."""
    aud = claims.get("aud", [])
    return [aud] if isinstance(aud, str) else [value for value in aud if isinstance(value, str)]


async def who_is(token: str, claims: dict[str, Any], issuer: str, tenant: AuthenticationApi) -> str:
    """The subject of a verified token in plain words."""
    sub = str(claims.get("sub", ""))
    if sub.endswith("@clients"):
        return MACHINE.format(client=claims.get("azp") or sub.removesuffix("@clients"))
    found = email_claim(claims)
    if found:
        return FROM_TOKEN.format(claim=found[0], email=found[1])
    if f"{issuer}userinfo" in audiences(claims):
        try:
            reply = await tenant.userinfo(token)
        except TenantUnreachable:
            reply = None
        email = reply.body.get("email") if reply and reply.status_code == 200 else None
        if isinstance(email, str) and reply.body.get("sub") == sub:
            return FROM_USERINFO.format(email=email)
    return UNKNOWN_USER.format(sub=sub)
