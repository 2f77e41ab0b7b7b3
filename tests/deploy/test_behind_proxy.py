"""The Procfile's command behind a TLS-terminating router: https redirect URIs, one canonical origin."""

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.conftest import free_port
from tests.deploy.platform import run_web_command, stop
from tests.local_server import wait_until_healthy

PUBLIC_ORIGIN = "https://playground-demo.onrender.com"
FROM_THE_ROUTER = {
    "host": "playground-demo.onrender.com", "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.7",
    "accept": "text/html",
}


@pytest.fixture(scope="module")
def behind_router(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Procfile's command, told its public URL the way Render tells it; base URL of its socket."""
    port = free_port()
    process = run_web_command(tmp_path_factory.mktemp("paas-data"), port, RENDER_EXTERNAL_URL=PUBLIC_ORIGIN)
    wait_until_healthy(process, port)
    yield f"http://127.0.0.1:{port}"
    stop(process)


def test_login_redirect_uri_is_https_on_the_public_origin(behind_router):
    response = httpx.get(f"{behind_router}/auth/login", headers=FROM_THE_ROUTER)
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{PUBLIC_ORIGIN}/authorize"
    assert parse_qs(location.query)["redirect_uri"] == [f"{PUBLIC_ORIGIN}/auth/callback"]


def test_session_cookie_is_secure_on_an_https_origin(behind_router):
    response = httpx.get(f"{behind_router}/auth/login", headers=FROM_THE_ROUTER)
    cookie = response.headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_forwarded_scheme_is_trusted(behind_router):
    # Starlette builds this redirect from the request's own URL: https only if uvicorn trusted X-Forwarded-Proto.
    response = httpx.get(f"{behind_router}/profile/", headers=FROM_THE_ROUTER)
    assert response.status_code in (301, 307, 308)
    assert response.headers["location"] == f"{PUBLIC_ORIGIN}/profile"


def test_pages_on_the_canonical_host_are_served(behind_router):
    response = httpx.get(f"{behind_router}/", headers=FROM_THE_ROUTER)
    assert response.status_code == 200
    assert "demo-tenant-notice" in response.text  # built-in tenant on a public origin


@pytest.mark.parametrize("host", ["playground-demo-abc1.onrender.com", "127.0.0.1", "localhost:10000"])
def test_pages_on_another_host_are_redirected_to_the_canonical_origin(behind_router, host):
    headers = FROM_THE_ROUTER | {"host": host}
    response = httpx.get(f"{behind_router}/tutorials?from=mail", headers=headers)
    assert response.status_code == 307
    assert response.headers["location"] == f"{PUBLIC_ORIGIN}/tutorials?from=mail"


def test_api_calls_on_another_host_are_not_redirected(behind_router):
    headers = {"host": "127.0.0.1", "accept": "application/json"}
    assert httpx.get(f"{behind_router}/healthz", headers=headers).status_code == 200
    response = httpx.post(f"{behind_router}/auth/token", headers=headers, json={"email": "x"})
    assert response.status_code == 422


def test_tenant_discovery_names_the_https_issuer(behind_router):
    response = httpx.get(f"{behind_router}/.well-known/openid-configuration", headers=FROM_THE_ROUTER)
    assert response.json()["issuer"] == f"{PUBLIC_ORIGIN}/"


def test_a_client_rotating_its_forwarded_entry_is_still_locked_out(behind_router):
    wrong = {"email": "nobody-behind-the-router@example.com", "password": "not-the-password-1"}
    answers = [httpx.post(f"{behind_router}/auth/token", json=wrong, timeout=30,
                          headers={"x-forwarded-for": f"10.0.0.{number}, 203.0.113.7"}).status_code
               for number in range(11)]
    assert answers == [401] * 10 + [429]
