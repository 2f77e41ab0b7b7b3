"""The flow inspector in a real Chromium: a web login, a password-grant Try-it and a Swagger sign-in, step by step."""

import json
import re

from playwright.sync_api import Page, expect

from tests.browser.tenant_login import sign_in_on_tenant_page
from tests.browser.test_swagger_sign_in import PKCE, sign_in_from_swagger

PANEL_TIMEOUT_MS = 10_000


def value(flow, name: str) -> str:
    """The value shown for `name` in a flow's first row of that name."""
    return flow.locator(f'[data-flow-value="{name}"] td').first.inner_text().strip()


def test_web_login_step_by_step_with_pkce_computed_and_secrets_masked(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/auth/login?returnTo=/inspector")
    sign_in_on_tenant_page(page, "alice@example.com", "alice-demo-1")
    expect(page).to_have_url(f"{live_server}/inspector")
    flow = page.locator("[data-flow]").first
    assert "Web login" in flow.locator("summary").inner_text() and "signed in" in flow.locator("summary").inner_text()
    authorize = flow.locator('[data-flow-step="1"]')
    for name in ("response_type", "redirect_uri", "scope", "audience", "state", "nonce", "code_challenge",
                 "code_challenge_method"):
        assert authorize.locator(f'[data-flow-value="{name}"]').count() == 1, name
    assert value(authorize, "code_challenge_method").startswith("S256")
    challenge = value(authorize, "code_challenge").split()[0]

    pkce = flow.locator(".flow-step", has_text="how the verifier hashes")
    assert value(pkce, "BASE64URL(hash)").split()[0] == challenge
    assert "Equal to the line above" in pkce.inner_text()
    callback = flow.locator(".flow-step", has_text="sends your browser back")
    assert "matches" in value(callback, "state check")

    exchange = flow.locator(".flow-step", has_text="POST /oauth/token")
    assert "Basic base64(web-app:web-…cret)" in value(exchange, "authorization")
    assert value(exchange, "code_verifier").split()[0] == value(pkce, "code_verifier").split()[0]
    masked = exchange.locator("[data-flow-raw]").inner_text()
    assert '"access_token": "eyJ' in masked and "…" in masked
    assert "web-app-secret" not in page.content()
    exchange.get_by_role("button", name="Reveal my tokens").click()
    revealed = json.loads(exchange.locator("[data-flow-raw]").inner_text().split("HTTP 200\n", 1)[1])
    assert revealed["access_token"].count(".") == 2 and "…" not in revealed["access_token"]
    assert value(exchange, "access_token").split()[0] == revealed["access_token"]
    exchange.get_by_role("button", name="Mask my tokens").click()
    assert "…" in exchange.locator("[data-flow-raw]").inner_text()


def test_a_try_it_token_shows_its_back_channel_and_no_one_else_sees_it(page: Page, browser, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/signup-and-token")
    panel = page.locator("#try-token")
    panel.locator("[data-try-send]").click()
    expect(panel.locator("[data-try-status]")).to_be_visible(timeout=PANEL_TIMEOUT_MS)
    panel.locator("[data-open-inspector]").click()
    expect(page).to_have_url(f"{live_server}/inspector")
    flow = page.locator("[data-flow]").first
    assert "Password grant" in flow.locator("summary").inner_text()
    exchange = flow.locator(".flow-step", has_text="POST /oauth/token")
    assert value(exchange, "grant_type").startswith("password")
    assert value(exchange, "client_secret").startswith("web-…cret")
    assert value(exchange, "password").startswith("••••••••")
    html = page.content()
    assert "alice-demo-1" not in html and "web-app-secret" not in html

    stranger = browser.new_context()
    try:
        other = stranger.new_page()
        other.goto(f"{live_server}/inspector")
        expect(other.locator("[data-inspector-empty]")).to_be_visible()
        assert other.locator("[data-flow]").count() == 0
    finally:
        stranger.close()


def test_a_swagger_sign_in_is_recorded_in_the_tab(page: Page, live_server: str) -> None:
    sign_in_from_swagger(page, live_server, PKCE, "alice")
    page.goto(f"{live_server}/inspector")
    flow = page.locator("[data-swagger-flow]").first
    expect(flow).to_be_visible()
    assert "response_type" in flow.inner_text() and "code_challenge" in flow.inner_text()
    token_request = flow.locator(".flow-step", has_text="POST /oauth/token")
    assert re.search(r"grant_type\s+authorization_code", token_request.inner_text())
    assert "The tenant answered 200" in token_request.inner_text()
    assert '"access_token": "eyJ' in token_request.locator("pre").inner_text()
    assert "…" in token_request.locator("pre").inner_text()
    assert "equals the hash of the verifier" in flow.locator("[data-swagger-pkce]").inner_text()
