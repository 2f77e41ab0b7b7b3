"""Logging out in a real browser ends both sessions and lands back on the step the visitor was reading."""

from playwright.sync_api import Page, expect

from tests.browser.tenant_login import sign_in_on_tenant_page

STEP = "/tutorials/log-out-everywhere"


def sign_in(page: Page, live_server: str) -> None:
    """The web login from the navigation's Log in link, as alice."""
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="Log in").first.click()
    sign_in_on_tenant_page(page, "alice@example.com", "alice-demo-1")
    expect(page).to_have_url(f"{live_server}/profile")


def test_the_navigation_log_out_lands_back_on_the_step(page: Page, live_server: str) -> None:
    sign_in(page, live_server)
    page.goto(f"{live_server}{STEP}")
    page.locator(".site-nav").get_by_role("link", name="Log out").click()
    expect(page).to_have_url(f"{live_server}{STEP}")
    expect(page.locator('[data-progress] [data-milestone="logged-out"]')).to_have_class("done")
    expect(page.locator(".site-nav").get_by_role("link", name="Log in")).to_be_visible()


def test_a_log_out_link_in_the_steps_text_lands_back_there_too(page: Page, live_server: str) -> None:
    sign_in(page, live_server)
    page.goto(f"{live_server}{STEP}")
    page.locator(".step-body a[href='/auth/logout']").first.click()
    expect(page).to_have_url(f"{live_server}{STEP}")


def test_logging_out_when_never_signed_in_ticks_nothing(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}{STEP}")
    page.locator(".step-body a[href='/auth/logout']").first.click()
    expect(page).to_have_url(f"{live_server}{STEP}")
    expect(page.locator('[data-progress] [data-milestone="logged-out"]')).not_to_have_class("done")
