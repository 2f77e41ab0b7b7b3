"""The flow stepper in a real Chromium: a code + PKCE flow sent, exchanged, refreshed and revoked by hand."""

import json
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.tenant_login import sign_in_on_tenant_page

ALICE = ("alice@example.com", "alice-demo-1")
ANSWER_TIMEOUT_MS = 10_000


def panel(page: Page, name: str) -> Locator:
    """One of the request panels (token, userinfo, refresh, revoke)."""
    return page.locator(f'[data-stepper-panel="{name}"]')


def send(page: Page, name: str) -> Locator:
    """Press a panel's send button and wait for its raw response; return the panel."""
    box = panel(page, name)
    box.evaluate("node => delete node.dataset.done")
    box.locator("[data-stepper-send]").click()
    expect(box).to_have_attribute("data-done", "true", timeout=ANSWER_TIMEOUT_MS)
    return box


def response_json(box: Locator) -> dict:
    """The JSON body of a panel's raw response."""
    raw = box.locator("[data-stepper-response]").inner_text()
    return json.loads(raw.split("\n\n", 1)[1])


def body_line(box: Locator, name: str) -> str:
    """The value of one name=value line of a panel's body."""
    text = box.locator("textarea").input_value()
    return next(line.split("=", 1)[1] for line in text.splitlines() if line.startswith(f"{name}="))


def set_body_line(box: Locator, name: str, value: str) -> None:
    """Replace one name=value line of a panel's body."""
    area = box.locator("textarea")
    lines = [f"{name}={value}" if line.startswith(f"{name}=") else line for line in area.input_value().splitlines()]
    area.fill("\n".join(lines))


def log_in_through_stepper(page: Page, live_server: str, scope: str | None = None) -> None:
    """Open the stepper, edit the scope if asked, send the browser to /authorize and sign in as Alice."""
    page.goto(f"{live_server}/stepper")
    if scope is not None:
        page.locator("#stepper-scope").fill(scope)
    expect(page.locator("[data-stepper-authorize-raw]")).to_contain_text("code_challenge_method = S256")
    page.get_by_role("button", name="Send the browser to /authorize").click()
    sign_in_on_tenant_page(page, *ALICE)
    page.wait_for_url(re.compile(r"/stepper$"))
    expect(page.locator("[data-stepper-answer-checks]")).to_contain_text("authorization code came back")


def test_a_code_and_pkce_flow_by_hand(page: Page, live_server: str) -> None:
    log_in_through_stepper(page, live_server, scope="openid email offline_access read:messages")
    checks = page.locator("[data-stepper-answer-checks]")
    expect(checks).to_contain_text("state matches the one sent")

    token = send(page, "token")
    expect(token.locator("[data-stepper-request]")).to_contain_text("POST /oauth/token HTTP/1.1")
    expect(token.locator("[data-stepper-request]")).to_contain_text("code_verifier=")
    expect(token.locator("[data-stepper-response]")).to_contain_text("HTTP/1.1 200")
    tokens = response_json(token)
    assert tokens["scope"] == "openid email offline_access read:messages"
    expect(token.locator("[data-stepper-checks]")).to_contain_text("its nonce matches the one sent")
    first_refresh = tokens["refresh_token"]

    userinfo = send(page, "userinfo")
    expect(userinfo.locator("[data-stepper-request]")).to_contain_text("Authorization: Bearer ")
    assert response_json(userinfo)["email"] == ALICE[0]

    refresh = send(page, "refresh")
    assert body_line(refresh, "refresh_token") != first_refresh
    rotated = response_json(refresh)
    assert rotated["access_token"] != tokens["access_token"]
    expect(refresh.locator("[data-stepper-checks]")).to_contain_text("now used up (rotation)")

    revoke = send(page, "revoke")
    assert body_line(revoke, "token") == rotated["refresh_token"]
    expect(revoke.locator("[data-stepper-response]")).to_contain_text("HTTP/1.1 200")

    refused = send(page, "refresh")
    expect(refused.locator("[data-stepper-response]")).to_contain_text("HTTP/1.1 403")
    assert response_json(refused)["error"] == "invalid_grant"
    expect(refused.locator("[data-stepper-explain]")).to_contain_text("revoked, or already used")


def test_a_wrong_verifier_is_refused_and_explained(page: Page, live_server: str) -> None:
    log_in_through_stepper(page, live_server)
    token = panel(page, "token")
    set_body_line(token, "code_verifier", "not-the-verifier-" + "x" * 30)
    send(page, "token")
    assert response_json(token)["error"] == "invalid_grant"
    explanation = token.locator("[data-stepper-explain]")
    expect(explanation).to_have_attribute("data-reason", "wrong_verifier")
    expect(explanation).to_contain_text("whose SHA-256 made the code_challenge")


def test_a_tampered_state_is_refused_and_explained(page: Page, live_server: str) -> None:
    log_in_through_stepper(page, live_server)
    page.goto(f"{live_server}/stepper?code=stolen&state=forged")
    explanation = page.locator("[data-stepper-answer-explain]")
    expect(explanation).to_have_attribute("data-reason", "state_mismatch")
    expect(explanation).to_contain_text("will not exchange its code")
    assert "stolen" not in panel(page, "token").locator("textarea").input_value()


@pytest.mark.parametrize("endpoint", ["/v2/logout", "/oidc/logout"])
def test_prompt_none_after_logout_says_login_required(page: Page, live_server: str, endpoint: str) -> None:
    log_in_through_stepper(page, live_server)
    send(page, "token")
    page.locator("[data-stepper-logout-endpoint]").select_option(endpoint)
    expect(page.locator("[data-stepper-logout-raw]")).to_contain_text(f"GET {endpoint}?client_id=swagger-ui")
    page.get_by_role("button", name="Log out at the tenant").click()
    page.wait_for_url(re.compile(r"/stepper"))
    expect(page.locator("[data-stepper-logout-response]")).to_contain_text("ended the tenant session")
    page.locator("#stepper-prompt").select_option("none")
    page.get_by_role("button", name="Send the browser to /authorize").click()
    page.wait_for_url(re.compile(r"/stepper"))
    explanation = page.locator("[data-stepper-answer-explain]")
    expect(explanation).to_have_attribute("data-reason", "login_required")
    expect(explanation).to_contain_text("set prompt to")


def test_form_post_answers_reach_the_page(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/stepper")
    page.locator("#stepper-response_mode").select_option("form_post")
    page.get_by_role("button", name="Send the browser to /authorize").click()
    sign_in_on_tenant_page(page, *ALICE)
    page.wait_for_url(re.compile(r"/stepper$"))
    expect(page.locator("[data-stepper-answer-raw]")).to_contain_text("POST /stepper HTTP/1.1")
    expect(page.locator("[data-stepper-answer-checks]")).to_contain_text("state matches the one sent")
    send(page, "token")
    expect(panel(page, "token").locator("[data-stepper-response]")).to_contain_text("HTTP/1.1 200")


def test_a_secret_is_masked_in_the_request_shown_and_a_refused_client_explained(page: Page, live_server: str) -> None:
    log_in_through_stepper(page, live_server)
    token = panel(page, "token")
    token.locator("[data-stepper-secret]").fill("web-app-secret")
    send(page, "token")
    request = token.locator("[data-stepper-request]").inner_text()
    assert "client_secret=••••••••" in request and "web-app-secret" not in request
    expect(token.locator("[data-stepper-response]")).to_contain_text("HTTP/1.1 401")
    expect(token.locator("[data-stepper-explain]")).to_have_attribute("data-reason", "client_auth")


def test_a_code_sent_twice_is_refused_and_explained(page: Page, live_server: str) -> None:
    log_in_through_stepper(page, live_server)
    send(page, "token")
    again = send(page, "token")
    assert response_json(again)["error"] == "invalid_grant"
    expect(again.locator("[data-stepper-explain]")).to_have_attribute("data-reason", "bad_code")
    expect(again.locator("[data-stepper-explain]")).to_contain_text("a code works once")


def test_every_control_is_labelled_and_every_raw_box_is_reachable_by_keyboard(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/stepper")
    unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll(
        '[data-stepper] input, [data-stepper] select, [data-stepper] textarea, [data-stepper] output'))
        .filter(control => control.labels.length === 0).map(control => control.id)""")
    assert unlabelled == []
    boxes = page.locator("[data-stepper] pre")
    assert boxes.count() >= 10
    for index in range(boxes.count()):
        box = boxes.nth(index)
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-label")
    nonce = page.locator("#stepper-nonce")
    before = nonce.input_value()
    nonce.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the nonce's "New" button, pressed from the keyboard
    expect(nonce).not_to_have_value(before)
    expect(page.locator("[data-stepper-authorize-raw]")).to_contain_text(f"nonce = {nonce.input_value()}")


@pytest.mark.parametrize("field, value, error, reason", [
    ("#stepper-max_age", "soon", "invalid_request", "invalid_request"),
    ("#stepper-audience", "https://no-such-api", "access_denied", "access_denied_audience"),
])
def test_a_refused_request_comes_back_explained(page: Page, live_server: str, field: str, value: str, error: str,
                                                reason: str) -> None:
    page.goto(f"{live_server}/stepper")
    page.locator(field).fill(value)
    page.get_by_role("button", name="Send the browser to /authorize").click()
    page.wait_for_url(re.compile(r"/stepper$"))
    expect(page.locator("[data-stepper-answer-checks]")).to_contain_text(f"the tenant answered error={error}")
    expect(page.locator("[data-stepper-answer-explain]")).to_have_attribute("data-reason", reason)


def test_declining_consent_is_explained(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/stepper")
    page.locator("#stepper-prompt").select_option("consent")
    page.get_by_role("button", name="Send the browser to /authorize").click()
    page.locator("input[name=username]").fill(ALICE[0])
    page.locator("input[name=password]").fill(ALICE[1])
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Decline").click()
    page.wait_for_url(re.compile(r"/stepper$"))
    explanation = page.locator("[data-stepper-answer-explain]")
    expect(explanation).to_have_attribute("data-reason", "access_denied_consent")
    expect(explanation).to_contain_text("pressed Decline")
