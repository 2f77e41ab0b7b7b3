"""Web login in a real headless Chromium against the site served by uvicorn and its built-in tenant."""

import re
import uuid

from playwright.sync_api import Page, expect

from tests.browser.tenant_login import sign_in_on_tenant_page


def test_log_in_see_claims_log_out(page: Page, live_server: str):
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="Log in").first.click()
    sign_in_on_tenant_page(page, "alice@example.com", "alice-demo-1")

    expect(page).to_have_url(f"{live_server}/profile")
    expect(page.locator(".profile-email")).to_contain_text("alice@example.com")
    expect(page.locator("#id-token-claims")).to_contain_text('"nonce"')
    expect(page.locator("#id-token-claims")).to_contain_text(f'"iss": "{live_server}/"')
    expect(page.locator("#access-token-claims")).to_contain_text("https://playground/api")
    expect(page.locator("#access-token-claims")).to_contain_text("read:messages")

    page.locator(".profile").get_by_role("link", name="Log out").click()
    expect(page).to_have_url(f"{live_server}/")

    page.goto(f"{live_server}/profile")
    expect(page).to_have_url(re.compile(r"/u/login\?"))
    expect(page.locator("input[name=username]")).to_be_visible()


def test_sign_up_on_the_tenants_form_then_log_in(page: Page, live_server: str):
    email, password = f"new-{uuid.uuid4().hex[:8]}@example.com", "Sign-up-demo-42"
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_role("link", name="Sign up").click()
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/u/consent\?"))  # a new user, an app on localhost, an API
    expect(page.get_by_role("heading")).to_have_text("Authorize Playground web app")
    page.get_by_role("button", name="Accept").click()
    expect(page).to_have_url(f"{live_server}/profile")
    expect(page.locator(".profile-email")).to_contain_text(email)

    page.locator(".profile").get_by_role("link", name="Log out").click()
    expect(page).to_have_url(f"{live_server}/")
    visited = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))
    page.get_by_role("link", name="Log in").first.click()
    sign_in_on_tenant_page(page, email, password)
    expect(page).to_have_url(f"{live_server}/profile")
    assert not [url for url in visited if "/u/consent" in url], "consent is remembered"
    expect(page.locator(".profile-email")).to_contain_text(email)


def test_starting_on_localhost_still_keeps_the_session(page: Page, live_server: str):
    port = live_server.rsplit(":", 1)[1]
    page.goto(f"http://localhost:{port}/auth/login?returnTo=/profile")
    sign_in_on_tenant_page(page, "bob@example.com", "bob-demo-1")
    expect(page).to_have_url(f"{live_server}/profile")
    expect(page.locator(".profile-email")).to_contain_text("bob@example.com")


def test_declining_consent_shows_access_denied_then_accepting_signs_in(page: Page, live_server: str):
    email, password = f"consent-{uuid.uuid4().hex[:8]}@example.com", "Consent-demo-42"
    page.goto(f"{live_server}/auth/login?returnTo=/profile")
    page.get_by_role("link", name="Sign up").click()
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/u/consent\?"))
    expect(page.locator(".scopes")).to_contain_text("Read messages")
    accept = page.get_by_role("button", name="Accept")
    assert accept.evaluate("button => getComputedStyle(button).backgroundColor") == "rgb(59, 73, 223)", \
        "the tenant's own stylesheet is applied"
    page.get_by_role("button", name="Decline").click()
    expect(page.locator("main")).to_contain_text("Access denied")
    expect(page.locator("main")).to_contain_text("User did not authorize the request")

    page.goto(f"{live_server}/auth/login?returnTo=/profile")
    expect(page).to_have_url(re.compile(r"/u/consent\?"))  # still signed in to the tenant, still asked
    page.get_by_role("button", name="Accept").click()
    expect(page).to_have_url(f"{live_server}/profile")
    expect(page.locator(".profile-email")).to_contain_text(email)
