"""Shared fixtures: the site in-process, and the site served by uvicorn on a free port."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from main import create_app
from settings import Settings
from tests.https_site import SDK_APP_ORIGIN, HttpsSite, https_site
from tests.local_server import ROOT, free_port, start_server, stop_server
from tests.postgres import Cluster
from tokens.unverified_jwt import decode_unverified

__all__ = ["ROOT", "free_port", "start_server", "stop_server"]


def header_of(token: str) -> dict:
    """The JOSE header of a JWT, unverified (tests verify signatures where that is the point)."""
    return decode_unverified(token)[0]


def claims_of(token: str) -> dict:
    """The claims of a JWT, unverified (tests verify signatures where that is the point)."""
    return decode_unverified(token)[1]


def builtin_settings(data_dir: Path, origin: str = "http://testserver", **overrides: object) -> Settings:
    """Settings for the built-in tenant, ignoring any `.env` of the developer's."""
    return Settings(_env_file=None, data_dir=data_dir, public_url=origin, **{"database_url": None, **overrides})


DATABASES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """A throwaway PostgreSQL cluster for the whole test session."""
    cluster = Cluster()
    yield cluster
    cluster.destroy()


@contextmanager
def database_of_kind(request: pytest.FixtureRequest, kind: str) -> Iterator[str | None]:
    """DATABASE_URL for a fresh, empty PostgreSQL schema; None (SQLite under DATA_DIR) for "sqlite"."""
    if kind == "sqlite":
        yield None
        return
    cluster: Cluster = request.getfixturevalue("postgres")
    schema, url = cluster.new_schema()
    yield url
    cluster.drop_schema(schema)


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """Each test once on SQLite and once on a fresh PostgreSQL schema."""
    with database_of_kind(request, request.param) as url:
        yield url


@pytest.fixture(scope="session")
def test_key():
    """The signing key of a tenant the test controls."""
    from tests.api.tokens import new_key

    return new_key("test-key")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The whole site in-process on the built-in tenant, origin http://testserver."""
    app = create_app(builtin_settings(tmp_path_factory.mktemp("site-data")))
    with TestClient(app) as client:
        yield client


@contextmanager
def served_site(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[str]:
    """Base URL of a fresh site served by a real uvicorn (one worker) on the built-in tenant, stopped afterwards."""
    port = free_port()
    process = start_server(tmp_path_factory.mktemp(name), port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(process)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the site served by a real uvicorn (one worker) on the built-in tenant."""
    with served_site(tmp_path_factory, "live-data") as url:
        yield url


TEST_ACTION = ROOT / "tests" / "tenant" / "actions" / "scenarios.js"


@pytest.fixture(scope="session")
def sdk_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpsSite]:
    """One `python main.py --https` for every test of Auth0's SDKs, running the test Action (scenarios.js)."""
    with https_site(tmp_path_factory.mktemp("sdk-site"), TENANT_ACTIONS=f'["{TEST_ACTION}"]',
                    TENANT_EXTRA_CALLBACK_URLS=f"{SDK_APP_ORIGIN}/auth/callback",
                    TENANT_EXTRA_LOGOUT_URLS=f"{SDK_APP_ORIGIN},{SDK_APP_ORIGIN}/") as site:
        yield site


@pytest.fixture
def trust_sdk_site(sdk_site: HttpsSite, monkeypatch: pytest.MonkeyPatch) -> HttpsSite:
    """The https site, with httpx and requests (and so Auth0's SDKs) trusting its local CA, as its start line says."""
    monkeypatch.setenv("SSL_CERT_FILE", str(sdk_site.authority))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(sdk_site.authority))
    return sdk_site


@pytest.fixture
def sdk_tenant(trust_sdk_site: HttpsSite) -> Iterator[httpx.Client]:
    """A cookie-keeping client of the https tenant that follows no redirect, like a browser stepped through."""
    with httpx.Client(base_url=trust_sdk_site.origin, follow_redirects=False, timeout=20) as client:
        yield client


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Reported to the console by every page, so that a blocked script or style is seen even when nothing else breaks.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => console.error(
  `Content Security Policy violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`));
"""


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) and one page in it; any Content Security Policy violation fails the test."""
    context = browser.new_context()
    context.set_default_timeout(15_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    violations: list[str] = []
    # The context's console event covers every page of it, Swagger's sign-in popup included.
    context.on("console", lambda message: violations.append(message.text)
               if "Content Security Policy" in message.text else None)
    first = context.new_page()
    yield first
    context.close()
    assert not violations, "Content Security Policy violations:\n" + "\n".join(violations)
