"""The logout URL names the client and the return address, encoded."""

from urllib.parse import parse_qs, urlsplit

from tutorials.log_out.logout_url import tenant_logout_url


def test_logout_url_for_the_builtin_tenant() -> None:
    url = tenant_logout_url("http://localhost:8000/tenant", "web-app", "http://localhost:8000")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "http://localhost:8000/tenant/v2/logout"
    assert parse_qs(parts.query) == {"client_id": ["web-app"], "returnTo": ["http://localhost:8000"]}
