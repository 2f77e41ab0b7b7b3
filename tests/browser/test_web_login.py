"""Web login in a real headless Chromium against the site served by uvicorn and its built-in tenant."""

import re
import uuid

from playwright.sync_api import Page, expect


def sign_in_on_tenant_page(page: Page, email: str, password: str) -> None:
    """Fill the tenant's login form (Universal Login's field names) and submit it."""
    expect(page).to_have_url(re.compile(r"/tenant/u/login\?"))
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Continue").click()


def test_log_in_see_claims_log_out(page: Page, live_server: str):
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="Log in").first.click()
    sign_in_on_tenant_page(page, "alice@example.com", "alice-demo-1")

    expect(page).to_have_url(f"{live_server}/profile")
    expect(page.locator(".profile-email")).to_contain_text("alice@example.com")
    expect(page.locator("#id-token-claims")).to_contain_text('"nonce"')
    expect(page.locator("#id-token-claims")).to_contain_text(f'"iss": "{live_server}/tenant/"')
    expect(page.locator("#access-token-claims")).to_contain_text("https://playground/api")
    expect(page.locator("#access-token-claims")).to_contain_text("read:messages")

    page.locator(".profile").get_by_role("link", name="Log out").click()
    expect(page).to_have_url(f"{live_server}/")

    page.goto(f"{live_server}/profile")
    expect(page).to_have_url(re.compile(r"/tenant/u/login\?"))
    expect(page.locator("input[name=username]")).to_be_visible()


def test_sign_up_on_the_tenants_form_then_log_in(page: Page, live_server: str):
    email, password = f"new-{uuid.uuid4().hex[:8]}@example.com", "Sign-up-demo-42"
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_role("link", name="Sign up").click()
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(f"{live_server}/profile")
    expect(page.locator(".profile-email")).to_contain_text(email)

    page.locator(".profile").get_by_role("link", name="Log out").click()
    expect(page).to_have_url(f"{live_server}/")
    page.get_by_role("link", name="Log in").first.click()
    sign_in_on_tenant_page(page, email, password)
    expect(page).to_have_url(f"{live_server}/profile")
    expect(page.locator(".profile-email")).to_contain_text(email)


def test_starting_on_localhost_still_keeps_the_session(page: Page, live_server: str):
    port = live_server.rsplit(":", 1)[1]
    page.goto(f"http://localhost:{port}/auth/login?returnTo=/profile")
    sign_in_on_tenant_page(page, "bob@example.com", "bob-demo-1")
    expect(page).to_have_url(f"{live_server}/profile")
    expect(page.locator(".profile-email")).to_contain_text("bob@example.com")
