"""Web login end to end against the built-in tenant, in-process: alice logs in, sees her claims, logs out."""

import logging
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.login.tenant_form import log_in, sign_up


@pytest.fixture
def browser_client(site: TestClient) -> TestClient:
    """A client with its own cookie jar on the shared site."""
    return TestClient(site.app)


def test_alice_logs_in_and_sees_her_claims(browser_client):
    profile = log_in(browser_client, "alice@example.com", "alice-demo-1")
    assert profile.status_code == 200
    assert profile.url.path == "/profile"
    text = profile.text
    assert "alice@example.com" in text
    assert "http://testserver/" in text  # iss of both tokens
    assert "https://playground/api" in text  # the access token's audience
    assert "read:messages" in text  # alice's permission
    assert "nonce" in text and "RS256" in text


def test_logout_ends_both_sessions(browser_client):
    log_in(browser_client, "alice@example.com", "alice-demo-1")
    logout = browser_client.get("/auth/logout", follow_redirects=False)
    location = urlsplit(logout.headers["location"])
    assert location.path == "/v2/logout"
    assert parse_qs(location.query) == {"returnTo": ["http://testserver"], "client_id": ["web-app"]}
    home = browser_client.get(logout.headers["location"], follow_redirects=True)
    assert home.status_code == 200 and home.url == "http://testserver"
    again = browser_client.get("/profile", follow_redirects=True)
    assert again.url.path == "/u/login"  # the tenant asks for credentials again: its session ended too


def test_profile_logs_in_first_then_returns_to_profile(browser_client):
    page = log_in(browser_client, "bob@example.com", "bob-demo-1", start="/profile")
    assert page.url.path == "/profile"
    assert "bob@example.com" in page.text


def test_sign_up_on_the_tenants_page_then_log_in(site):
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    first_visit = TestClient(site.app)
    profile = sign_up(first_visit, email, "Sign-up-demo-42")
    assert profile.url.path == "/profile" and email in profile.text
    first_visit.get("/auth/logout", follow_redirects=True)
    profile = log_in(TestClient(site.app), email, "Sign-up-demo-42")
    assert profile.url.path == "/profile" and email in profile.text


def test_wrong_password_stays_on_the_tenants_page(browser_client):
    page = log_in(browser_client, "alice@example.com", "not-her-password")
    assert page.status_code == 401
    assert page.url.path == "/u/login"
    assert browser_client.get("/profile", follow_redirects=False).status_code == 303


def test_no_password_token_or_verifier_reaches_the_log(browser_client, caplog):
    with caplog.at_level(logging.DEBUG):
        log_in(browser_client, "alice@example.com", "alice-demo-1")
        browser_client.get("/auth/logout", follow_redirects=True)
    for record in caplog.records:
        line = record.getMessage() + repr(record.args)
        assert "alice-demo-1" not in line, record.name
        assert "eyJ" not in line, record.name  # no JWT, whole or in part
        assert "code_verifier" not in line, record.name
