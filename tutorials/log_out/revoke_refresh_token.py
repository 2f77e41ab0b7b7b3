"""Revoke a refresh token when the user logs out, so that nobody can renew their tokens with it."""

import httpx


def revoke_refresh_token(tenant_url: str, client_id: str, client_secret: str, refresh_token: str) -> None:
    """POST /oauth/revoke (RFC 7009): the token and every token rotated from it stop working."""
    response = httpx.post(f"{tenant_url}/oauth/revoke", timeout=10, data={
        "client_id": client_id, "client_secret": client_secret, "token": refresh_token})
    response.raise_for_status()
