"""axe-core finds no serious or critical violation on any page of the site, on a desktop and on a phone."""

import re
from urllib.parse import quote
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.accessibility.axe import described, serious_violations, violations_of
from tests.accessibility.pages import PAGES, SITE, SitePage
from tests.browser.tenant_login import sign_in_on_tenant_page
from tests.conftest import REPORT_CSP_VIOLATIONS, served_site

WIDTHS = {"desktop": 1280, "phone": 390}
PASSWORDS = {"admin": "admin-demo-1", "bob": "bob-demo-1", "alice": "alice-demo-1"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own, so that the consent screen is still to come for its demo users."""
    with served_site(tmp_path_factory, "accessibility") as url:
        yield url


def open_page(browser, site: str, target: SitePage, width: int) -> Page:
    """A fresh context at that width, signed in as the page needs, on the page."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    if target.user:
        page.goto(f"{site}/auth/login?returnTo=/profile" if not target.stop_at_consent else f"{site}{target.path}")
        email = f"{target.user}@example.com"
        if target.stop_at_consent:
            expect(page).to_have_url(re.compile(r"/u/login\?"))
            page.locator("input[name=username]").fill(email)
            page.locator("input[name=password]").fill(PASSWORDS[target.user])
            page.get_by_role("button", name="Continue").click()
            page.wait_for_url(re.compile(r"/u/consent\?"))
            return page
        sign_in_on_tenant_page(page, email, PASSWORDS[target.user])
        page.wait_for_url(re.compile(r"/profile$"))
    page.goto(f"{site}{target.path.replace(SITE, quote(site, safe=''))}")
    if target.lands_on:
        page.wait_for_url(re.compile(re.escape(target.lands_on)))
    expect(page.locator(target.ready).first).to_be_visible()
    return page


@pytest.mark.parametrize("target", [SitePage("/docs", ready=".swagger-ui .opblock"), SitePage("/inspector", user="admin")],
                         ids=["docs", "inspector"])
def test_headings_go_down_one_level_at_a_time(browser, site: str, target: SitePage) -> None:
    page = open_page(browser, site, target, WIDTHS["desktop"])
    try:
        violations = violations_of(page, "heading-order")
        assert not violations, described(violations)
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("target", PAGES, ids=SitePage.test_id)
def test_no_serious_violation(browser, site: str, target: SitePage, width: int) -> None:
    page = open_page(browser, site, target, width)
    try:
        violations = serious_violations(page)
        assert not violations, f"{page.url} at {width} px:\n{described(violations)}"
    finally:
        page.context.close()
