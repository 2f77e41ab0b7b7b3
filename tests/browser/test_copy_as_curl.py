"""Copy as curl, in a real Chromium: the token is masked on screen and whole in the copy, which curl can run."""

import json
import shlex
import subprocess

from playwright.sync_api import Page, expect

PANEL_TIMEOUT_MS = 10_000


def copy_as_curl(page: Page, panel_id: str) -> tuple[str, str]:
    """Press a panel's "Copy as curl"; return the command shown and the command copied."""
    panel = page.locator(f"#try-{panel_id}")
    panel.get_by_role("button", name="Copy as curl").click()
    expect(panel.locator("[data-try-curl]")).to_be_visible()
    return panel.locator("[data-try-curl]").inner_text(), page.evaluate("navigator.clipboard.readText()")


def run(command: str) -> str:
    """Run a copied curl command as a shell would, and return what it printed."""
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=20, check=True).stdout


def test_curl_of_a_bearer_panel_masks_the_token_on_screen_only(browser, live_server: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(f"{live_server}/tutorials/protect-an-api")
        page.locator("#try-alice-token [data-try-send]").click()
        expect(page.locator("#try-alice-token [data-try-status]")).to_be_visible(timeout=PANEL_TIMEOUT_MS)
        token = json.loads(page.locator("#try-alice-token [data-try-body]").inner_text())["data"]

        shown, copied = copy_as_curl(page, "scoped")
        assert token not in shown and f"Bearer {token[:12]}…{token[-8:]}" in shown
        assert f"Authorization: Bearer {token}" in copied
        assert shlex.split(copied.replace("\\\n", " "))[:3] == ["curl", "-i", f"{live_server}/api/scoped"]
        answer = run(copied)
        assert answer.startswith("HTTP/1.1 200")
        assert "Your token carries the scope read:messages" in answer
    finally:
        context.close()


def test_curl_of_a_post_panel_carries_the_body(browser, live_server: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(f"{live_server}/tutorials/signup-and-token")
        page.locator('#try-token textarea[name="body"]').fill(
            '{"email": "bob@example.com", "password": "it\'s-not-bob"}')
        shown, copied = copy_as_curl(page, "token")
        assert shown == copied
        assert "-X POST" in copied and "Content-Type: application/json" in copied
        answer = run(copied)
        assert answer.startswith("HTTP/1.1 401")
        assert '"code":"invalid_grant"' in answer
    finally:
        context.close()
