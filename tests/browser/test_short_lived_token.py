"""Step 8's demo of an expiring token in a real Chromium: a 5-second token, then the API's 401 explained."""

import json
import time

from playwright.sync_api import Page, expect

from tests.conftest import claims_of
from tokens.verification import CLOCK_LEEWAY_SECONDS

PANEL_TIMEOUT_MS = 10_000


def test_a_five_second_token_is_refused_as_expired(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/read-your-token")
    short = page.locator("#try-short-lived")
    assert "Demo only" in short.inner_text()
    short.locator("[data-try-send]").click()
    expect(short.locator("[data-try-status]")).to_be_visible(timeout=PANEL_TIMEOUT_MS)
    token = json.loads(short.locator("[data-try-body]").inner_text())["data"]
    claims = claims_of(token)
    assert claims["exp"] - claims["iat"] == 5
    expired = page.locator("#try-expired")
    assert expired.locator('textarea[name="token"]').input_value() == token

    time.sleep(max(0.0, claims["exp"] + CLOCK_LEEWAY_SECONDS + 1 - time.time()))
    expired.locator("[data-try-send]").click()
    expect(expired.locator("[data-try-status]")).to_be_visible(timeout=PANEL_TIMEOUT_MS)
    assert expired.locator("[data-try-status]").inner_text().startswith("401")
    assert expired.locator("[data-try-reason-summary]").inner_text().startswith("The token has expired")
    assert "The token expired at" in expired.locator("[data-try-said]").inner_text()
    assert 'error="invalid_token"' in expired.locator("[data-try-challenge]").inner_text()
