"""The tutorial's example apps on localhost are trusted by the tenant of a local site only."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from main import create_app
from tenant.config import EXAMPLE_APP_CALLBACKS
from tests.conftest import builtin_settings

EXAMPLE_ORIGINS = ("http://localhost:9001", "http://localhost:5000", "http://localhost:8002")


def site_on(origin: str, data_dir) -> Iterator[TestClient]:
    """The site with its built-in tenant, served at `origin`."""
    with TestClient(create_app(builtin_settings(data_dir, origin=origin)), base_url=origin,
                    follow_redirects=False) as client:
        yield client


@pytest.fixture
def public_site(tmp_path) -> Iterator[TestClient]:
    """A deployed site."""
    yield from site_on("https://playground.example.org", tmp_path)


@pytest.fixture
def local_site(tmp_path) -> Iterator[TestClient]:
    """`python main.py` on a laptop."""
    yield from site_on("http://localhost:8000", tmp_path)


def authorize(client: TestClient, redirect_uri: str, prompt: str = "none"):
    """An authorization request of the web app's client for `redirect_uri`."""
    return client.get("/authorize", params={
        "client_id": "web-app", "response_type": "code", "redirect_uri": redirect_uri, "scope": "openid",
        "state": "s", "prompt": prompt,
    })


@pytest.mark.parametrize("callback", EXAMPLE_APP_CALLBACKS)
def test_a_public_site_refuses_the_example_callbacks(public_site, callback):
    response = authorize(public_site, callback)
    assert response.status_code == 400
    assert "Callback URL mismatch" in response.text
    assert "location" not in response.headers


@pytest.mark.parametrize("callback", EXAMPLE_APP_CALLBACKS)
def test_a_local_site_sends_the_example_apps_back_to_their_callback(local_site, callback):
    response = authorize(local_site, callback)
    assert response.status_code == 302
    assert response.headers["location"].startswith(f"{callback}?error=login_required")


def test_a_public_site_still_serves_its_own_callback(public_site):
    response = authorize(public_site, "https://playground.example.org/auth/callback")
    assert response.status_code == 302
    assert response.headers["location"].startswith("https://playground.example.org/auth/callback?error=login_required")


@pytest.mark.parametrize("origin", EXAMPLE_ORIGINS)
def test_a_public_site_refuses_the_example_logout_urls(public_site, origin):
    response = public_site.get("/v2/logout", params={"client_id": "web-app", "returnTo": f"{origin}/"})
    assert response.status_code == 400
    assert "not in the Allowed Logout URLs" in response.text


@pytest.mark.parametrize("origin", EXAMPLE_ORIGINS)
def test_a_local_site_lets_the_example_apps_log_out(local_site, origin):
    response = local_site.get("/v2/logout", params={"client_id": "web-app", "returnTo": f"{origin}/"})
    assert response.headers["location"] == f"{origin}/"


def preflight(client: TestClient, origin: str):
    """A browser's CORS preflight for a token request from `origin`."""
    return client.options("/oauth/token", headers={
        "origin": origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type",
    })


@pytest.mark.parametrize("origin", EXAMPLE_ORIGINS)
def test_cors_admits_the_example_origins_only_on_a_local_site(public_site, local_site, origin):
    assert "access-control-allow-origin" not in preflight(public_site, origin).headers
    assert preflight(local_site, origin).headers["access-control-allow-origin"] == origin
    assert preflight(public_site, "https://playground.example.org").headers["access-control-allow-origin"] == \
        "https://playground.example.org"
