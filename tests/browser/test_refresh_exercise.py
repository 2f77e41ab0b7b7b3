"""Step 12's refresh-token exercise in a real Chromium: get one, rotate it, reuse the old one, see the family revoked."""

import json

from playwright.sync_api import Locator, Page, expect

PANEL_TIMEOUT_MS = 10_000


def press(page: Page, panel_id: str) -> Locator:
    """Press a panel's Send and wait for a new answer; return the panel."""
    panel = page.locator(f"#try-{panel_id}")
    panel.locator("[data-try-result]").evaluate("node => node.replaceChildren()")
    panel.locator("[data-try-send]").click()
    expect(panel.locator("[data-try-status]")).to_be_visible(timeout=PANEL_TIMEOUT_MS)
    return panel


def refresh_token_sent(panel: Locator) -> str:
    """The refresh token in a panel's body."""
    return json.loads(panel.locator('textarea[name="body"]').input_value())["refresh_token"]


def answer(panel: Locator) -> dict:
    """The JSON answer a panel shows."""
    return json.loads(panel.locator("[data-try-body]").inner_text())


def test_rotation_then_reuse_revokes_the_family(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/log-out-everywhere")
    first = answer(press(page, "get-refresh-token"))["refresh_token"]
    assert refresh_token_sent(page.locator("#try-rotate")) == first

    rotate = press(page, "rotate")
    assert rotate.locator("[data-try-status]").inner_text().startswith("200")
    second = answer(rotate)["refresh_token"]
    assert second != first
    assert "now used up" in rotate.locator("[data-try-refresh]").last.inner_text()
    assert refresh_token_sent(page.locator("#try-rotate")) == second
    assert refresh_token_sent(page.locator("#try-reuse")) == first

    reuse = press(page, "reuse")
    assert reuse.locator("[data-try-status]").inner_text().startswith("403")
    assert answer(reuse)["error"] == "invalid_grant"
    assert "revokes the whole family" in reuse.locator("[data-try-reason-summary]").inner_text()

    again = press(page, "rotate")
    assert refresh_token_sent(again) == second
    assert again.locator("[data-try-status]").inner_text().startswith("403")
    assert "Refresh token refused" in again.locator("[data-try-reason-summary]").inner_text()
