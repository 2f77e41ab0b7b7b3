"""Signing in from Swagger UI at /docs in a real browser, then calling the API with the token it got."""

import json
import re
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.tenant_login import sign_in_on_tenant_page

IMPLICIT = "Auth0ImplicitBearer"
PKCE = "Auth0AuthorizationCodePKCE"
USERS = {"alice": ("alice@example.com", "alice-demo-1"), "bob": ("bob@example.com", "bob-demo-1")}


def user_sub(live_server: str, user: str) -> str:
    """The user's `sub`, from a token the tenant issues them."""
    email, password = USERS[user]
    form = {"grant_type": "password", "username": email, "password": password, "client_id": "web-app",
            "client_secret": "web-app-secret", "audience": "https://playground/api", "scope": "openid"}
    response = httpx.post(f"{live_server}/oauth/token", data=form, timeout=10)
    assert response.status_code == 200, response.text
    return httpx.get(f"{live_server}/userinfo", timeout=10,
                     headers={"Authorization": f"Bearer {response.json()['access_token']}"}).json()["sub"]


def sign_in_from_swagger(page: Page, live_server: str, scheme: str, user: str) -> None:
    """Open /docs, press Authorize for `scheme`, and sign in on the tenant's login page in the popup."""
    page.goto(f"{live_server}/docs")
    page.locator(".swagger-ui .auth-wrapper .btn.authorize").click()
    section = page.locator(".modal-ux .auth-container").filter(has_text=scheme)
    expect(section.locator("input[data-name=clientId]")).to_have_value("swagger-ui")
    expect(section.locator("input[data-value='read:messages']")).to_be_checked()
    with page.expect_popup() as popup_info:
        section.locator("button.modal-btn.authorize").click()
    popup = popup_info.value
    popup.wait_for_load_state()
    assert urlsplit(popup.url).path == "/u/login"
    sign_in_on_tenant_page(popup, *USERS[user])
    expect(section.locator("button.modal-btn", has_text="Logout")).to_be_visible()
    page.locator(".modal-ux .close-modal").click()


def call_from_swagger(page: Page, operation: str) -> tuple[int, str]:
    """Expand an operation, press Try it out and Execute; return the status and body shown."""
    block = page.locator(f"#operations-api-{operation}")
    block.locator(".opblock-summary").click()
    block.get_by_role("button", name="Try it out").click()
    block.get_by_role("button", name="Execute").click()
    live = block.locator(".live-responses-table tbody .response")
    expect(live).to_be_visible()
    status = int(live.locator(".response-col_status").inner_text().strip())
    return status, live.locator(".response-col_description pre").first.inner_text()


@pytest.mark.parametrize("scheme", [IMPLICIT, PKCE])
def test_alice_signs_in_and_reads_her_claims(page: Page, live_server: str, scheme: str) -> None:
    sign_in_from_swagger(page, live_server, scheme, "alice")
    status, body = call_from_swagger(page, "get_claims_api_claims_get")
    assert status == 200, body
    claims = json.loads(body)["claims"]
    assert claims["sub"] == user_sub(live_server, "alice")
    assert claims["azp"] == "swagger-ui"
    assert "read:messages" in claims["scope"].split()


def test_bob_is_refused_the_scoped_endpoint(page: Page, live_server: str) -> None:
    sign_in_from_swagger(page, live_server, PKCE, "bob")
    status, body = call_from_swagger(page, "get_scoped_api_scoped_get")
    assert status == 403
    assert json.loads(body)["error"] == "insufficient_scope"
    assert re.search(r"read:messages", json.loads(body)["detail"])
