"""The instructor's room in a real Chromium, while an attendee presses Try-it panels in another browser."""

from playwright.sync_api import Browser, Page, expect

from tests.browser.tenant_login import sign_in_on_tenant_page
from tests.browser.test_workshop_walkthrough import press, status_of

REFRESH_TIMEOUT_MS = 20_000


def milestone_count(page: Page, key: str):
    """The count beside one milestone's bar."""
    return page.locator(f'[data-room-milestone="{key}"] [data-room-count]')


def test_the_room_counts_change_while_it_is_open(page: Page, browser: Browser, live_server: str) -> None:
    page.goto(f"{live_server}/room")
    log_in = page.locator("#main").get_by_role("link", name="Log in")
    expect(page.locator(".error-status")).to_have_text("401")
    log_in.click()
    sign_in_on_tenant_page(page, "admin@example.com", "admin-demo-1")
    expect(page).to_have_url(f"{live_server}/room")
    page.get_by_role("button", name="Start a new workshop").click()
    expect(page).to_have_url(f"{live_server}/room")
    expect(page.locator("[data-room-attendees]")).to_have_text("0")
    expect(page.locator("[data-room-no-failures]")).to_be_visible()
    page.evaluate("window.roomPageLoadMarker = 'still the same page'")

    attendee_context = browser.new_context()
    try:
        attendee = attendee_context.new_page()
        attendee.goto(f"{live_server}/tutorials/protect-an-api")
        assert status_of(press(attendee, "alice-token")) == 200
        assert status_of(press(attendee, "scoped")) == 200
        assert status_of(press(attendee, "bob-token")) == 200
        assert status_of(press(attendee, "scoped-as-bob")) == 403
    finally:
        attendee_context.close()

    expect(page.locator("[data-room-attendees]")).to_have_text("1", timeout=REFRESH_TIMEOUT_MS)
    expect(milestone_count(page, "scoped")).to_have_text("1", timeout=REFRESH_TIMEOUT_MS)
    expect(milestone_count(page, "password-token")).to_have_text("1")
    failure = page.locator('[data-room-failure="api-scope"][data-room-step="protect-an-api"]')
    expect(failure.locator("[data-room-times]")).to_have_text("1", timeout=REFRESH_TIMEOUT_MS)
    expect(failure).to_contain_text("Bob holds no permission")
    expect(page.locator("[data-room-no-failures]")).to_be_hidden()
    assert page.evaluate("window.roomPageLoadMarker") == "still the same page"
