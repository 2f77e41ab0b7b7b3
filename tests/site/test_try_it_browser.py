"""Try-it panels in a real headless Chromium: the fetch happens, and the panel shows what came back."""

import base64
import json

PANEL_TIMEOUT_MS = 10_000


def fake_jwt(header: dict, claims: dict) -> str:
    """An unsigned token, enough for the decoder to read."""
    encode = lambda part: base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{encode(header)}.{encode(claims)}.c2lnbmF0dXJl"


def test_health_panel_shows_request_status_and_body(page, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/deploy")
    panel = page.locator("#try-health")
    panel.get_by_role("button", name="Send GET").click()
    status = panel.locator("[data-try-status]")
    status.wait_for(timeout=PANEL_TIMEOUT_MS)
    assert status.inner_text().startswith("200 OK")
    assert f"GET {live_server}/healthz" in panel.locator("[data-try-request]").inner_text()
    assert json.loads(panel.locator("[data-try-body]").inner_text()) == {"status": "ok"}
    assert panel.locator("[data-try-reason]").count() == 0


def test_failed_call_shows_the_reason_and_decodes_the_token_sent(page, live_server: str) -> None:
    token = fake_jwt({"alg": "RS256", "typ": "JWT"}, {"sub": "auth0|demo", "aud": "https://playground/api"})
    page.goto(f"{live_server}/tutorials/read-your-token")
    panel = page.locator("#try-claims")
    panel.locator('textarea[name="token"]').fill(token)
    panel.evaluate("element => { element.dataset.url = '/no-such-endpoint'; }")
    panel.get_by_role("button", name="Send GET").click()
    panel.locator("[data-try-status]").wait_for(timeout=PANEL_TIMEOUT_MS)
    assert panel.locator("[data-try-status]").inner_text().startswith("404")
    assert "Nothing lives at this address" in panel.locator("[data-try-reason]").inner_text()
    assert "Authorization: Bearer " in panel.locator("[data-try-request]").inner_text()
    assert json.loads(panel.locator("[data-try-jwt-claims]").first.inner_text())["sub"] == "auth0|demo"


def test_token_in_a_response_is_decoded_and_kept_for_the_next_panels(page, live_server: str) -> None:
    token = fake_jwt({"alg": "RS256", "kid": "k1"}, {"sub": "m2m@clients", "scope": "read:messages"})
    page.route("**/mock-token", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps({"access_token": token})))
    page.goto(f"{live_server}/tutorials/machine-to-machine")
    panel = page.locator("#try-client-credentials")
    panel.evaluate("element => { element.dataset.url = '/mock-token'; }")
    panel.get_by_role("button", name="Send POST").click()
    panel.locator("[data-try-status]").wait_for(timeout=PANEL_TIMEOUT_MS)
    assert json.loads(panel.locator("[data-try-jwt-claims]").inner_text())["sub"] == "m2m@clients"
    assert page.locator('#try-scoped textarea[name="token"]').input_value() == token
    page.reload()
    assert page.locator('#try-claims textarea[name="token"]').input_value() == token


def test_network_failure_says_why(page, live_server: str) -> None:
    page.route("**/unreachable", lambda route: route.abort("connectionrefused"))
    page.goto(f"{live_server}/tutorials/deploy")
    panel = page.locator("#try-health")
    panel.evaluate("element => { element.dataset.url = '/unreachable'; }")
    panel.get_by_role("button", name="Send GET").click()
    reason = panel.locator("[data-try-reason]")
    reason.wait_for(timeout=PANEL_TIMEOUT_MS)
    assert "could not reach /unreachable" in reason.inner_text()


def test_copy_buttons_are_added_to_copyable_values_and_code(page, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/set-up-a-tenant")
    callback = page.locator("code.copy", has_text=f"{live_server}/auth/callback").first
    assert callback.locator("xpath=following-sibling::button[1]").inner_text() == "Copy"
    page.goto(f"{live_server}/tutorials/read-your-token")
    assert page.locator(".code-block > .copy-button").count() >= 2
