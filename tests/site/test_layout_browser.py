"""Every page reads well on a phone (390 px) and a laptop (1280 px), in a real headless Chromium.

Inline code (tokens, URLs, scopes) never breaks while it fits on a line; nothing sticks out of the viewport
unless it sits in a container that scrolls sideways and shows, by a shadow at its edge, that it does.
"""

import uuid

import pytest
from playwright.sync_api import Page

from tests.site.test_steps import STEP_SLUGS

WIDTHS = (390, 1280)
SITE_PAGES = ["/", "/tutorials", "/docs", "/decoder", "/profile-signed-out"] + [f"/tutorials/{slug}" for slug in STEP_SLUGS]

# Returns one line per defect on the page: empty when the page reads well at this width.
LAYOUT_DEFECTS = r"""
() => {
  const defects = [];
  const page = document.scrollingElement;
  if (page.scrollWidth > innerWidth) defects.push(`page is ${page.scrollWidth} px wide in a ${innerWidth} px window`);
  const isLineContainer = (element) => {
    const style = getComputedStyle(element);
    return !/^(inline|table|contents)/.test(style.display) || style.overflowX !== "visible";
  };
  for (const code of document.querySelectorAll("code")) {
    if (code.closest("pre")) continue;
    const lines = [...code.getClientRects()].filter((rect) => rect.width > 0).length;
    if (lines < 2) continue;
    let container = code.parentElement;
    while (!isLineContainer(container)) container = container.parentElement;
    const style = getComputedStyle(container);
    const line = container.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const kept = code.style.whiteSpace;
    code.style.whiteSpace = "nowrap";
    const unbroken = code.getBoundingClientRect().width;
    code.style.whiteSpace = kept;
    if (unbroken <= line) defects.push(`"${code.textContent}" (${Math.round(unbroken)} px) breaks in a ${Math.round(line)} px line`);
  }
  for (const element of document.querySelectorAll("body *")) {
    const style = getComputedStyle(element);
    if (!["auto", "scroll"].includes(style.overflowX) || element.scrollWidth <= element.clientWidth + 1) continue;
    if (element.closest(".swagger-ui")) continue;
    if (!style.backgroundAttachment.includes("local")) {
      defects.push(`${element.tagName.toLowerCase()}.${element.className} scrolls sideways with no shadow to say so`);
    }
  }
  return defects;
}
"""


def open_page(page: Page, base: str, path: str) -> None:
    """Open one page; the tenant's pages are reached the way a visitor reaches them."""
    if path == "/profile-signed-out":
        page.goto(f"{base}/profile")  # a signed-out visitor lands on the tenant's login page
    elif path == "/tenant-signup":
        page.goto(f"{base}/auth/login")
        page.get_by_role("link", name="Sign up").click()
    elif path == "/tenant-consent":  # a new user of the site on a loopback origin is asked for consent
        open_page(page, base, "/tenant-signup")
        page.locator("input[name=email]").fill(f"layout-{uuid.uuid4().hex[:8]}@example.com")
        page.locator("input[name=password]").fill("Layout-demo-42")
        page.get_by_role("button", name="Sign up").click()
        page.get_by_role("button", name="Accept").wait_for()
    else:
        page.goto(f"{base}{path}")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_code_breaks_and_nothing_overflows(browser, live_server: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    found = {}
    for path in SITE_PAGES + ["/tenant-signup", "/tenant-consent"]:
        open_page(page, live_server, path)
        defects = page.evaluate(LAYOUT_DEFECTS)
        if width >= 1280:  # on a laptop, tables fit the column: scrolling them is for phones
            defects += page.locator(".prose table").evaluate_all(
                "tables => tables.filter((t) => t.scrollWidth > t.clientWidth + 1).map((t) => t.innerText.slice(0, 60))")
        if defects:
            found[page.url] = defects
    context.close()
    assert found == {}


def test_the_tenant_login_page_fits_a_phone(browser, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    open_page(page, live_server, "/profile-signed-out")
    assert "/u/login" in page.url
    for control in ("input[name=username]", "input[name=password]", "button[type=submit]"):
        box = page.locator(control).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, control
    demo_users = page.locator(".demo-users .table-scroll")
    assert demo_users.evaluate("element => element.scrollWidth <= element.clientWidth")  # the whole table shows
    context.close()


def test_wide_diagrams_scroll_inside_the_page_on_a_phone(browser, live_server: str) -> None:
    # Tables stack their rows instead (tests/accessibility/test_narrow_screens.py).
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    for slug, selector in (("what-auth0-does", ".sequence-scroll"),):
        open_page(page, live_server, f"/tutorials/{slug}")
        scrolled = page.locator(selector).evaluate_all("""elements => elements
            .filter((element) => element.scrollWidth > element.clientWidth)
            .map((element) => { element.scrollLeft = element.scrollWidth; return element.scrollLeft > 0; })""")
        assert scrolled and all(scrolled), slug
    context.close()


@pytest.mark.parametrize("slug", ["web-login-starlette", "read-your-token"])
def test_copy_buttons_sit_above_the_code_not_over_it(page: Page, live_server: str, slug: str) -> None:
    open_page(page, live_server, f"/tutorials/{slug}")
    blocks = page.locator(".code-block")
    assert blocks.count() >= 1
    for block in blocks.all():
        button = block.locator(":scope > .copy-button").bounding_box()
        code = block.locator("pre").bounding_box()
        assert button["y"] + button["height"] <= code["y"] + 1
