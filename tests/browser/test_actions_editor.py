"""The Actions editor in a real browser: Test shows a denial with Auth0's message; Deploy changes the visitor's
own tokens and nobody else's."""

import time
import uuid

import httpx
from playwright.sync_api import Page, expect

from tests.browser.tenant_login import sign_in_on_tenant_page
from tests.conftest import claims_of

CLAIM = "https://playground.example/team"
DENY = """exports.onExecutePostLogin = async (event, api) => {
  if (!event.user.app_metadata.approved) api.access.deny();
};"""
TEAM = """exports.onExecutePostLogin = async (event, api) => {
  api.accessToken.setCustomClaim("https://playground.example/team", "red");
};"""


def password_login(live_server: str, email: str, password: str) -> dict:
    """An access token's claims for a password-grant login."""
    answer = httpx.post(f"{live_server}/oauth/token", data={
        "grant_type": "password", "username": email, "password": password, "client_id": "web-app",
        "client_secret": "web-app-secret", "audience": "https://playground/api", "scope": "openid read:messages"})
    assert answer.status_code == 200, answer.text
    return claims_of(answer.json()["access_token"])


def test_write_test_and_deploy_an_action_for_ones_own_logins(page: Page, live_server: str) -> None:
    email, password = f"editor-{uuid.uuid4().hex[:8]}@example.com", "Editor-pass-1"
    created = httpx.post(f"{live_server}/dbconnections/signup", json={
        "client_id": "web-app", "connection": "Username-Password-Authentication", "email": email,
        "password": password})
    assert created.status_code == 200, created.text

    # The editor's script arrives late, as on a slow connection: a Test pressed before it runs must not be lost.
    page.route("**/static/actions-editor.js", lambda route: (time.sleep(1.5), route.continue_()))
    page.goto(f"{live_server}/actions")
    sign_in_on_tenant_page(page, email, password)
    expect(page).to_have_url(f"{live_server}/actions")
    expect(page.locator("[data-action-event]")).to_contain_text(email)

    page.locator("[data-action-source]").fill(DENY)
    page.get_by_role("button", name="Test").click()
    expect(page.locator("[data-action-summary]")).to_contain_text('Login denied: access_denied, "Access denied."')

    page.locator("[data-action-source]").fill(TEAM)
    page.get_by_role("button", name="Test").click()
    expect(page.locator("[data-action-summary]")).to_contain_text(f"access token claims: {CLAIM}")

    page.locator("[data-action-name]").fill("Team")
    page.get_by_role("button", name="Deploy for my logins").click()
    expect(page.locator("[data-deployed-name='Team']")).to_be_visible()

    assert password_login(live_server, email, password)[CLAIM] == "red"
    assert CLAIM not in password_login(live_server, "bob@example.com", "bob-demo-1")

    page.locator("[data-action-remove='Team']").click()
    expect(page.locator("[data-action-deployed]")).to_contain_text("None yet.")
    assert CLAIM not in password_login(live_server, email, password)
