"""Auth0's `mfa_token`: what a password login that still needs its second factor hands the client, for ten minutes."""

import secrets

from tenant.store.store import Store

MFA_TOKEN_KIND = "mfa_token"
# Auth0's mfa_token (and MFA API access) lasts 10 minutes, not configurable.
MFA_TOKEN_LIFETIME = 600


def issue_mfa_token(store: Store, login: dict) -> str:
    """A new mfa_token standing for this half-done login (user, client, audience, scope)."""
    token = secrets.token_urlsafe(32)
    store.put_grant(MFA_TOKEN_KIND, token, login, MFA_TOKEN_LIFETIME)
    return token


def mfa_login(store: Store, token: object, client_id: str | None = None) -> dict | None:
    """The half-done login an mfa_token stands for, if it is live (and was issued to `client_id`, when named)."""
    if not isinstance(token, str) or not token or len(token) > 256:
        return None
    login = store.get_grant(MFA_TOKEN_KIND, token)
    if login is None or (client_id is not None and login["client_id"] != client_id):
        return None
    return login


def spend_mfa_token(store: Store, token: str) -> None:
    """The login is done: the mfa_token works no more."""
    store.drop_grant(MFA_TOKEN_KIND, token)
