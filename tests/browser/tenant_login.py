"""Signing in on the tenant's pages in a real browser, consent screen included."""

import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect


def accept_consent_if_asked(page: Page) -> None:
    """After the login form: press Accept when the tenant asks for consent, then let the browser go on.

    The tenant asks once per user, application and scopes when the application's callback is on localhost, so
    whether a test meets the screen depends on what earlier tests on the same server did.
    """
    try:
        page.wait_for_url(lambda url: "/u/login" not in url, wait_until="commit")
    except PlaywrightError:
        if page.is_closed():  # a popup that already answered its opener
            return
        raise
    if "/u/consent" in page.url:
        page.get_by_role("button", name="Accept").click()


def sign_in_on_tenant_page(page: Page, email: str, password: str) -> None:
    """Fill the tenant's login form (Universal Login's field names), continue, and accept consent if asked."""
    expect(page).to_have_url(re.compile(r"/u/login\?"))
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Continue").click()
    accept_consent_if_asked(page)
