"""Where to send the browser so the tenant ends its own session too."""

from urllib.parse import urlencode


def tenant_logout_url(tenant_url: str, client_id: str, return_to: str) -> str:
    """Auth0's `/v2/logout`, returning to a URL listed in the application's Allowed Logout URLs."""
    query = urlencode({"client_id": client_id, "returnTo": return_to})
    return f"{tenant_url}/v2/logout?{query}"
