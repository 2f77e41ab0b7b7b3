"""Each failure a step invites, in a real Chromium: the panel explains it for the endpoint that answered."""

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.api import tokens
from tests.conftest import free_port, start_server, stop_server

PANEL_TIMEOUT_MS = 10_000


def send(page: Page, panel_id: str, body: dict | None = None, token: str | None = None) -> Locator:
    """Fill a panel's body or token, press Send, and wait for the answer; return the panel."""
    panel = page.locator(f"#try-{panel_id}")
    if body is not None:
        panel.locator('textarea[name="body"]').fill(json.dumps(body))
    if token is not None:
        panel.locator('textarea[name="token"]').fill(token)
    panel.locator("[data-try-send]").click()
    expect(panel.locator("[data-try-status]")).to_be_visible(timeout=PANEL_TIMEOUT_MS)
    return panel


def summary(panel: Locator) -> str:
    """The first sentence of the panel's "Why it failed" box."""
    return panel.locator("[data-try-reason-summary]").inner_text()


def password_token(page: Page, panel_id: str, email: str, password: str) -> str:
    """Get a token with the password-grant panel `panel_id`; it fills the token fields of the page."""
    panel = send(page, panel_id, {"email": email, "password": password})
    return json.loads(panel.locator("[data-try-body]").inner_text())["data"]


def test_wrong_password_at_the_token_endpoint(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/signup-and-token")
    panel = send(page, "token", {"email": "bob@example.com", "password": "not-bobs-password"})
    assert panel.locator("[data-try-status]").inner_text().startswith("401")
    assert summary(panel).startswith("Wrong email or password")
    assert "No token, or a token this API does not accept" not in panel.locator("[data-try-reason]").inner_text()


def test_weak_password_lists_the_rules_with_their_numbers(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/signup-and-token")
    panel = send(page, "signup", {"email": f"weak-{uuid.uuid4().hex[:8]}@example.com", "password": "short"})
    assert panel.locator("[data-try-status]").inner_text().startswith("400")
    assert "password policy" in summary(panel)
    rules = panel.locator("[data-try-reason] [data-try-rules]").first.inner_text()
    assert "%d" not in rules
    assert "At least 8 characters in length" in rules
    assert "Contain at least 3 of the following 4 types of characters" in rules
    assert "\u2713 lower case letters (a-z)" in rules
    assert "\u2717 upper case letters (A-Z)" in rules


def test_existing_user_at_sign_up(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/signup-and-token")
    panel = send(page, "signup", {"email": "alice@example.com", "password": "Choose-a-passw0rd"})
    assert panel.locator("[data-try-status]").inner_text().startswith("400")
    assert summary(panel).startswith("A user with this email already exists")


def test_bad_client_secret_at_the_tenant(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/machine-to-machine")
    panel = page.locator("#try-client-credentials")
    body = json.loads(panel.locator('textarea[name="body"]').input_value()) | {"client_secret": "wrong"}
    panel = send(page, "client-credentials", body)
    assert panel.locator("[data-try-status]").inner_text().startswith("401")
    assert summary(panel).startswith("Bad client credentials")


def test_missing_token_is_explained_once(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/protect-an-api")
    panel = send(page, "secure", token="")
    assert panel.locator("[data-try-status]").inner_text().startswith("401")
    reason = panel.locator("[data-try-reason]").inner_text()
    assert summary(panel).startswith("No token reached the API")
    assert reason.count("No access token: send it as the header") == 1


def test_bad_signature_message_is_said_once(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/protect-an-api")
    token = password_token(page, "alice-token", "alice@example.com", "alice-demo-1")
    head, claims, signature = token.split(".")
    tampered = ".".join([head, claims, ("A" if signature[10] != "A" else "B").join([signature[:10], signature[11:]])])
    panel = send(page, "secure", token=tampered)
    reason = panel.locator("[data-try-reason]").inner_text()
    assert summary(panel).startswith("The signature does not match")
    assert reason.count("the token was changed after it was signed") == 1
    assert 'WWW-Authenticate: Bearer error="invalid_token"' in reason


def test_missing_scope_and_missing_permission_are_told_apart(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/permissions-vs-scopes")
    password_token(page, "get-token", "bob@example.com", "bob-demo-1")
    scoped = send(page, "scoped")
    assert scoped.locator("[data-try-status]").inner_text().startswith("403")
    assert summary(scoped).startswith("Missing scope")
    assert 'error="insufficient_scope"' in scoped.locator("[data-try-challenge]").inner_text()
    admin = send(page, "admin")
    assert admin.locator("[data-try-status]").inner_text().startswith("403")
    assert summary(admin).startswith("Missing permission")


def test_bearer_prefix_and_line_breaks_are_removed_and_said(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/protect-an-api")
    token = password_token(page, "alice-token", "alice@example.com", "alice-demo-1")
    wrapped = "Bearer " + "\n".join(token[i:i + 60] for i in range(0, len(token), 60))
    panel = send(page, "secure", token=wrapped)
    assert panel.locator("[data-try-status]").inner_text().startswith("200")
    cleaned = panel.locator("[data-try-cleaned]").inner_text()
    assert '"Bearer " prefix' in cleaned and "line breaks" in cleaned
    assert panel.locator('textarea[name="token"]').input_value() == token


@pytest.fixture(scope="module")
def site_with_unreachable_tenant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A site configured for an Auth0 tenant on a port where nothing listens."""
    tenant_port, site_port = free_port(), free_port()
    folder: Path = tmp_path_factory.mktemp("unreachable")
    process = start_server(folder, site_port, extra_env={
        "AUTH0_DOMAIN": f"127.0.0.1:{tenant_port}", "AUTH0_CLIENT_ID": "real-web-app",
        "AUTH0_CLIENT_SECRET": "real-secret", "SESSION_SECRET": "s" * 32,
    })
    yield f"http://127.0.0.1:{site_port}", tenant_port
    stop_server(process)


def test_unreachable_tenant_at_the_api_and_the_token_endpoint(page: Page, site_with_unreachable_tenant) -> None:
    site, tenant_port = site_with_unreachable_tenant
    key = tokens.new_key("unreachable-tenant-key")
    token = tokens.sign(tokens.access_claims(iss=f"https://127.0.0.1:{tenant_port}/", aud="https://playground/api"), key)
    page.goto(f"{site}/tutorials/protect-an-api")
    api = send(page, "secure", token=token)
    assert api.locator("[data-try-status]").inner_text().startswith("503")
    assert summary(api).startswith("The tenant is unreachable")
    token_panel = send(page, "alice-token")
    assert token_panel.locator("[data-try-status]").inner_text().startswith("503")
    assert summary(token_panel).startswith("The tenant is unreachable")


def test_a_refusal_links_to_its_troubleshooting_entry(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/permissions-vs-scopes")
    password_token(page, "get-token", "alice@example.com", "alice-demo-1")
    admin = send(page, "admin")
    link = admin.locator("[data-try-troubleshooting]")
    assert link.get_attribute("href") == "/troubleshooting#insufficient-scope"
    link.click()
    page.wait_for_url("**/troubleshooting#insufficient-scope")
    expect(page.locator("#insufficient-scope h2")).to_be_in_viewport()


def test_a_missing_token_on_a_step_without_a_token_panel_says_where_to_get_one(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/tutorials/custom-claims-with-actions")
    panel = send(page, "claims", token="")
    assert panel.locator("[data-try-status]").inner_text().startswith("401")
    assert "panel above" not in summary(panel) and "/tutorials/signup-and-token" in summary(panel)
