"""On a phone (390 px) nothing hides in sideways scroll: the pages fit, and the tables a lesson is about reflow."""

import pytest

from tests.accessibility.pages import PAGES, SitePage
from tests.accessibility.test_every_page import open_page, site  # noqa: F401 (the fixture)

PHONE = 390
# The element whose columns are the point of the lesson, by page.
LESSON_TABLES = {
    "/": "table.demo-users",
    "/tutorials/permissions-vs-scopes": "table.reflow",
    "/tutorials/protect-an-api": "table.reflow",
    "/tutorials/set-up-a-tenant": "table.reflow",
}
MEASURE = """(selector) => {
  const wide = [...document.querySelectorAll(selector)].filter((box) => box.scrollWidth > box.clientWidth + 1
    || box.getBoundingClientRect().right > document.documentElement.clientWidth + 1);
  return { page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
           wide: wide.map((box) => box.outerHTML.slice(0, 80)) };
}"""


@pytest.mark.parametrize("target", PAGES, ids=SitePage.test_id)
def test_the_page_fits_a_phone(browser, site: str, target: SitePage) -> None:  # noqa: F811
    page = open_page(browser, site, target, PHONE)
    try:
        measured = page.evaluate(MEASURE, LESSON_TABLES.get(target.path, "table, .table-scroll, pre.wrap"))
        assert measured["page"] <= 0, f"{target.path} is {measured['page']} px wider than the screen"
        if target.path in LESSON_TABLES:
            assert measured["wide"] == [], f"{target.path}: these scroll sideways: {measured['wide']}"
    finally:
        page.context.close()


def test_the_rooms_failures_stack_on_a_phone(browser, site: str) -> None:  # noqa: F811
    attendee = browser.new_page()
    try:
        attendee.goto(f"{site}/tutorials/protect-an-api")
        attendee.locator("#try-secure textarea[name=token]").fill("not-a-token")
        attendee.locator("#try-secure [data-try-send]").click()
        attendee.locator("#try-secure [data-try-status]").wait_for()
    finally:
        attendee.context.close()
    page = open_page(browser, site, SitePage("/room", user="admin"), PHONE)
    try:
        page.locator("[data-room-failures] tbody tr").first.wait_for()
        measured = page.evaluate(MEASURE, "[data-room-failures]")
        assert measured == {"page": 0, "wide": []}
        assert page.locator("[data-room-failures] td[data-label='If you see it, say']").count() >= 1
        page.screenshot(path="/tmp/shots/room-390.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path="/tmp/shots/room-1280.png", full_page=True)
    finally:
        page.context.close()
