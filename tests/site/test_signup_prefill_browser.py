"""The sign-up panel starts with an address of the visitor's own, so visitors sharing a site never collide."""

import json
import re

from playwright.sync_api import Page, expect

OWN_ADDRESS = re.compile(r"^you-[0-9a-f]{8}@example\.com$")


def signup_address(page: Page) -> str:
    """The email the sign-up panel's body holds."""
    return json.loads(page.locator('#try-signup textarea[name="body"]').input_value())["email"]


def test_each_visitor_gets_a_unique_address_kept_for_the_tab(browser, live_server: str) -> None:
    addresses = []
    for _ in range(2):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{live_server}/tutorials/signup-and-token")
        first = signup_address(page)
        page.reload()
        assert signup_address(page) == first
        addresses.append(first)
        context.close()
    assert all(OWN_ADDRESS.match(address) for address in addresses)
    assert addresses[0] != addresses[1]


def test_the_prefilled_sign_up_succeeds_then_says_the_user_exists(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/signup-and-token")
    panel = page.locator("#try-signup")
    for expected in ("201", "400"):
        panel.locator("[data-try-send]").click()
        expect(panel.locator("[data-try-status]")).to_contain_text(expected, timeout=10_000)
