"""The device-login Try-it panel in a real Chromium: it starts a device login, polls, and gets the tokens once the
code is confirmed in another tab."""

import json

POLL_TIMEOUT_MS = 30_000


def test_panel_polls_until_the_code_is_confirmed_in_another_tab(page, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/log-in-a-command-line-tool")
    panel = page.locator("#try-device-login")
    panel.get_by_role("button", name="Send POST").click()
    link = panel.locator("[data-device-link]")
    link.wait_for(timeout=POLL_TIMEOUT_MS)
    answer = json.loads(panel.locator("[data-try-body]").inner_text())
    assert link.get_attribute("href") == answer["verification_uri_complete"]

    panel.locator("[data-device-polls] li").first.wait_for(timeout=POLL_TIMEOUT_MS)
    assert "403 · authorization_pending" in panel.locator("[data-device-polls] li").first.inner_text()

    with page.context.expect_page() as opened:
        link.click()
    activation = opened.value
    assert answer["user_code"] in activation.locator(".user-code").inner_text()
    activation.fill('input[name="username"]', "alice@example.com")
    activation.fill('input[name="password"]', "alice-demo-1")
    activation.get_by_role("button", name="Confirm").click()
    activation.get_by_text("Congratulations, you're all set!").wait_for()

    state = panel.locator("[data-device-state]")
    state.filter(has_text="Confirmed").wait_for(timeout=POLL_TIMEOUT_MS)
    claims = json.loads(panel.locator("[data-try-jwt-claims]").first.inner_text())
    assert claims["azp"] == "cli" and claims["https://playground.example/email"] == "alice@example.com"

    secure = page.locator("#try-secure")
    secure.get_by_role("button", name="Send GET").click()
    secure.locator("[data-try-status]").wait_for(timeout=POLL_TIMEOUT_MS)
    assert secure.locator("[data-try-status]").inner_text().startswith("200")
