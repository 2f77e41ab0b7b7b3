"""The decoder measured in Chromium at a laptop's and a phone's width: nothing cut, the verdict beside the token."""

import pytest
from playwright.sync_api import Browser, Page, expect

CHECK_TIMEOUT_MS = 10_000
WIDTHS = [1280, 390]
# Right under the token on a phone: no more than a line or two of notes between them.
NEAR_PX = 120


def decoded_admin_token(browser: Browser, live_server: str, width: int) -> Page:
    """A page of the given width with admin's access token (the longest claims) decoded and checked."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    answer = page.request.post(f"{live_server}/auth/token",
                               data={"email": "admin@example.com", "password": "admin-demo-1"})
    page.goto(f"{live_server}/decoder")
    page.locator("[data-decoder-input]").fill(answer.json()["data"])
    expect(page.locator('[data-decoder-checks] [data-check="aud"]')).to_be_visible(timeout=CHECK_TIMEOUT_MS)
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_the_tables_fit_their_box_and_show_every_meaning(browser: Browser, live_server: str, width: int) -> None:
    page = decoded_admin_token(browser, live_server, width)
    try:
        for box in page.locator("[data-decoder-output] .table-scroll").all():
            sizes = box.evaluate("box => ({ shown: box.clientWidth, content: box.scrollWidth })")
            assert sizes["content"] <= sizes["shown"], sizes
            right = box.evaluate("box => box.getBoundingClientRect().right")
            for meaning in box.locator("tbody td:last-child").all():
                edge = meaning.evaluate("cell => cell.getBoundingClientRect().right")
                assert edge <= right + 1, (meaning.inner_text(), edge, right)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_verdict_sits_beside_the_token(browser: Browser, live_server: str, width: int) -> None:
    page = decoded_admin_token(browser, live_server, width)
    try:
        verdict = page.locator("[data-decoder-verdict]")
        expect(verdict).to_contain_text("would accept")
        token = page.locator("[data-decoder-input]").bounding_box()
        shown = verdict.bounding_box()
        if width >= 1024:
            assert shown["x"] >= token["x"] + token["width"], (shown, token)
            assert token["y"] - NEAR_PX <= shown["y"] <= token["y"] + token["height"], (shown, token)
        else:
            assert 0 <= shown["y"] - (token["y"] + token["height"]) <= NEAR_PX, (shown, token)

        signed = page.locator("[data-decoder-input]").input_value()
        page.locator("[data-decoder-input]").fill(signed[:-10] + ("A" if signed[-10] != "A" else "B") + signed[-9:])
        expect(verdict).to_contain_text("would refuse", timeout=CHECK_TIMEOUT_MS)
        refusal = page.locator('[data-decoder-refusals] [data-check="signature"]')
        expect(refusal).to_contain_text("does not match")
        assert refusal.bounding_box()["y"] < 900, "the failed check is on the first screen, beside the token"
    finally:
        page.close()
