"""The OpenID Connect way to log out: /oidc/logout with the ID token as the hint."""

from urllib.parse import urlencode


def oidc_logout_url(tenant_url: str, id_token: str, return_to: str, state: str) -> str:
    """RP-Initiated Logout: the tenant reads the application and the session from the ID token."""
    query = urlencode({"id_token_hint": id_token, "post_logout_redirect_uri": return_to, "state": state})
    return f"{tenant_url}/oidc/logout?{query}"
