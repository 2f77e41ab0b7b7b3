"""The token decoder in a real Chromium: opened from a panel, the parts coloured, claims explained, checks marked."""

import json
import re

from playwright.sync_api import Page, expect

PANEL_TIMEOUT_MS = 10_000


def check(page: Page, name: str):
    """One check of the decoder's list."""
    return page.locator(f'[data-decoder-checks] [data-check="{name}"]')


def test_open_a_token_from_step_8_then_break_its_signature(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/read-your-token")
    panel = page.locator("#try-get-token")
    panel.locator("[data-try-send]").click()
    expect(panel.locator("[data-try-status]")).to_be_visible(timeout=PANEL_TIMEOUT_MS)
    token = json.loads(panel.locator("[data-try-body]").inner_text())["data"]

    panel.locator("[data-open-decoder]").first.click()
    expect(page).to_have_url(f"{live_server}/decoder")
    assert page.locator("[data-decoder-input]").input_value() == token
    header, claims, signature = token.split(".")
    assert page.locator(".jwt-parts .jwt-header").inner_text() == header
    assert page.locator(".jwt-parts .jwt-claims").inner_text() == claims
    assert page.locator(".jwt-parts .jwt-signature").inner_text() == signature
    assert "RS256" in page.locator('[data-decoder-header] [data-decoder-field="alg"]').inner_text()
    expiry = page.locator('[data-decoder-claims] [data-decoder-field="exp"]').inner_text()
    assert "Expires at" in expiry
    assert re.search(r"in (23 h \d+|24 h 0) min", expiry), expiry  # a day ahead, however fast the page was opened
    expect(check(page, "signature")).to_have_attribute("data-passed", "true", timeout=PANEL_TIMEOUT_MS)
    for name in ("alg", "exp", "nbf", "iss", "aud"):
        expect(check(page, name)).to_have_attribute("data-passed", "true")
    assert "would accept" in page.locator("[data-decoder-verdict]").inner_text()

    changed = signature[:20] + ("A" if signature[20] != "A" else "B") + signature[21:]
    page.locator("[data-decoder-input]").fill(f"{header}.{claims}.{changed}")
    expect(check(page, "signature")).to_have_attribute("data-passed", "false", timeout=PANEL_TIMEOUT_MS)
    assert "does not match" in check(page, "signature").inner_text()
    for name in ("alg", "exp", "nbf", "iss", "aud"):
        expect(check(page, name)).to_have_attribute("data-passed", "true")
    assert "https://playground/api" in page.locator('[data-decoder-claims] [data-decoder-field="aud"]').inner_text()


def test_a_wrapped_token_is_cleaned_and_nonsense_is_told_apart(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/decoder")
    page.locator("[data-decoder-input]").fill("not a token at all")
    expect(page.locator("[data-decoder-error]")).to_contain_text("This is not a JWT")
    expect(page.locator("[data-decoder-output]")).to_be_hidden()
    header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    claims = "eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNTE2MjM5MDIyfQ"
    page.locator("[data-decoder-input]").fill(f"Bearer {header}.\n{claims}.c2lnbmF0dXJl")
    expect(page.locator("[data-decoder-cleaned]")).to_contain_text('"Bearer " prefix')
    expect(check(page, "alg")).to_have_attribute("data-passed", "false", timeout=PANEL_TIMEOUT_MS)
    assert "HS256" in check(page, "alg").inner_text()
    assert "2018-01-18T01:30:22Z" in page.locator('[data-decoder-claims] [data-decoder-field="iat"]').inner_text()
    expect(check(page, "exp")).to_have_attribute("data-passed", "false")
