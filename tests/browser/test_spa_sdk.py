"""Auth0's SPA SDK (@auth0/auth0-spa-js) in headless Chromium against the tenant: popup login, the load-time
session check and silent renewal through the hidden iframe (refresh tokens off), max_age, and logout.

The SDK build comes from npm (scripts/test.sh installs the pinned version into .cache/spa-js); the app is served
by the test's own little static server on another port, as a single-page app on its own origin would be.
"""

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.tenant_login import sign_in_on_tenant_page
from tests.conftest import ROOT, claims_of, free_port, start_server, stop_server
from tests.local_server import HOST

SPA_JS = ROOT / ".cache/spa-js/node_modules/@auth0/auth0-spa-js/dist/auth0-spa-js.production.js"
APP_FILES = Path(__file__).parent / "spa"
API = "https://playground/api"


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        """Say nothing."""


@pytest.fixture(scope="module")
def spa(tmp_path_factory) -> Iterator[str]:
    """The single-page app's origin, on its own port, using the site's tenant on another port."""
    spa_port, site_port = free_port(), free_port()
    spa_origin = f"http://{HOST}:{spa_port}"
    site = start_server(tmp_path_factory.mktemp("spa-site"), site_port, extra_env={
        "TENANT_EXTRA_CALLBACK_URLS": f"{spa_origin}/", "TENANT_EXTRA_LOGOUT_URLS": f"{spa_origin}/",
        "TENANT_EXTRA_WEB_ORIGINS": spa_origin})
    folder = tmp_path_factory.mktemp("spa-files")
    for file in APP_FILES.iterdir():
        shutil.copy(file, folder)
    shutil.copy(SPA_JS, folder)
    (folder / "config.js").write_text(
        f'window.TENANT = {{domain: "http://{HOST}:{site_port}", clientId: "swagger-ui", audience: "{API}"}};\n')
    server = ThreadingHTTPServer((HOST, spa_port), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield spa_origin
    server.shutdown()
    stop_server(site)


def open_app(page: Page, spa: str) -> bool:
    """Load the app and wait for the SDK's load-time session check; True when it found a session."""
    page.goto(f"{spa}/")
    return page.evaluate("() => window.spaReady")


def log_in_with_popup(page: Page, button: str) -> str:
    """Press a login button and sign in as Alice in the popup the SDK opens; the SDK's outcome."""
    with page.expect_popup() as popup_info:
        page.click(button)
    sign_in_on_tenant_page(popup_info.value, "alice@example.com", "alice-demo-1")
    return page.evaluate("() => window.popupDone")


def silent_token(page: Page, **authorization_params: object) -> str:
    """getTokenSilently past the SDK's cache (through the iframe): the access token, or 'error:<code>'."""
    return page.evaluate("""(params) => window.spa.getTokenSilently({cacheMode: "off", authorizationParams: params})
        .catch((error) => "error:" + (error.error || error.message))""", authorization_params)


def test_popup_login_then_session_check_and_silent_renewal(page: Page, spa: str):
    assert open_app(page, spa) is False
    assert log_in_with_popup(page, "#login-popup") == "ok"
    assert page.evaluate("() => window.spa.getUser()")["email"] == "alice@example.com"

    assert open_app(page, spa) is True, "a reload finds the tenant session through the hidden iframe"
    assert page.evaluate("() => window.spa.getUser()")["email"] == "alice@example.com"
    token = silent_token(page)
    assert claims_of(token)["aud"][0] == API and "read:messages" in claims_of(token)["scope"]


def test_max_age_is_checked_by_the_sdk_and_enforced_by_the_tenant(page: Page, spa: str):
    open_app(page, spa)
    assert log_in_with_popup(page, "#login-popup-max-age") == "ok", "the SDK needs auth_time with max_age"
    claims = page.evaluate("() => window.spa.getIdTokenClaims()")
    assert isinstance(claims["auth_time"], int)
    assert silent_token(page, max_age=3600).count(".") == 2
    assert silent_token(page, max_age=0) == "error:login_required"


def test_logout_ends_the_tenant_session(page: Page, spa: str):
    open_app(page, spa)
    assert log_in_with_popup(page, "#login-popup") == "ok"
    # The app is already at this URL: wait for the logout's round trip through the tenant to land back on it.
    with page.expect_navigation(url=f"{spa}/", wait_until="load"):
        page.click("#logout")
    assert page.evaluate("() => window.spaReady") is False
    assert silent_token(page) == "error:login_required"


def test_a_scope_not_yet_consented_to_is_refused_silently_with_consent_required(page: Page, spa: str):
    open_app(page, spa)
    assert log_in_with_popup(page, "#login-popup") == "ok"
    assert silent_token(page, scope="openid read:messages admin:messages") == "error:consent_required"
    assert silent_token(page).count(".") == 2, "the scopes already consented to still come silently"
