"""The site's own pages send a CSP with no inline script, refuse framing, and turn on HSTS over https."""

import re

import pytest
from fastapi.testclient import TestClient

from main import create_app
from tests.conftest import builtin_settings

PAGES = ("/", "/tutorials", "/tutorials/protect-an-api", "/docs", "/docs/oauth2-redirect", "/profile", "/healthz",
         "/api/public", "/openapi.json")


@pytest.mark.parametrize("path", PAGES)
def test_site_answers_carry_the_security_headers(site: TestClient, path: str) -> None:
    headers = site.get(path, follow_redirects=False).headers
    policy = headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in headers  # http://testserver


@pytest.mark.parametrize("path", ["/", "/tutorials/read-your-token", "/docs", "/docs/oauth2-redirect"])
def test_pages_have_no_inline_script_or_handler(site: TestClient, path: str) -> None:
    html = site.get(path).text
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert "javascript:" not in html


def test_swagger_settings_reach_the_page_as_data(site: TestClient) -> None:
    html = site.get("/docs").text
    assert '<script src="/static/docs.js"></script>' in html
    assert "SwaggerUIBundle" in site.get("/static/docs.js").text


def test_tenant_pages_keep_their_own_policy(site: TestClient) -> None:
    response = site.get("/u/login?state=nothing")
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_hsts_when_served_over_https(tmp_path) -> None:
    origin = "https://playground.example.org"
    with TestClient(create_app(builtin_settings(tmp_path, origin=origin)), base_url=origin) as client:
        assert client.get("/").headers["strict-transport-security"] == "max-age=31536000"
        assert client.get("/.well-known/jwks.json").headers["strict-transport-security"] == "max-age=31536000"


def test_a_real_tenant_may_be_called_from_swagger(tmp_path) -> None:
    settings = builtin_settings(tmp_path, auth0_domain="my-tenant.eu.auth0.com", auth0_client_id="id",
                                auth0_client_secret="secret", session_secret="s" * 32)
    with TestClient(create_app(settings)) as client:
        policy = client.get("/healthz").headers["content-security-policy"]
    assert "connect-src 'self' https://my-tenant.eu.auth0.com/;" in policy
