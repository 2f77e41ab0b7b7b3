"""The flow inspector's records: per visitor, secrets masked, nothing logged (the store: test_store.py)."""

import logging
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from flow_inspector.records import mask, masked_form, pkce_challenge
from main import create_app
from middleware.sessions import SESSION_COOKIE
from tests.conftest import builtin_settings
from tests.login.tenant_form import log_in


def test_secrets_are_masked_when_recorded() -> None:
    form = masked_form(b"grant_type=password&client_secret=web-app-secret&password=alice-demo-1&username=a%40b.c",
                       "application/x-www-form-urlencoded")
    assert form == {"grant_type": "password", "client_secret": "web-…cret", "password": "••••••••",
                    "username": "a@b.c"}
    assert mask("short") == "•••••"


def test_pkce_challenge_matches_rfc_7636_appendix_b() -> None:
    computed = pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    assert computed["challenge"] == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


@pytest.fixture
def fresh_site(tmp_path: Path) -> TestClient:
    """A site of its own, so that its flow store starts empty."""
    with TestClient(create_app(builtin_settings(tmp_path))) as client:
        yield client


def test_a_script_calling_the_token_api_leaves_no_record(fresh_site: TestClient) -> None:
    response = fresh_site.post("/auth/token", json={"email": "bob@example.com", "password": "bob-demo-1"})
    assert response.status_code == 200
    # No session is started for it (the browser-id cookie, for the lockout, is another matter).
    assert not any(cookie.startswith(f"{SESSION_COOKIE}=") for cookie in response.headers.get_list("set-cookie"))


def test_the_inspector_page_is_private_and_not_cached(fresh_site: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        log_in(fresh_site, "alice@example.com", "alice-demo-1")
        page = fresh_site.get("/inspector", headers={"Accept": "text/html"})
    assert page.headers["cache-control"] == "no-store"
    verifier = re.search(r'data-flow-value="code_verifier"><th scope="row"><code>code_verifier</code></th>\s*<td><code>'
                         r'([^<]+)</code>', page.text).group(1)
    token = re.search(r'data-full="(eyJ[^"]+)"', page.text).group(1)
    assert "web-app-secret" not in page.text
    for secret in (verifier, token, "web-app-secret", "alice-demo-1"):
        assert secret not in caplog.text
    fresh_site.cookies.clear()
    assert "data-flow=" not in fresh_site.get("/inspector", headers={"Accept": "text/html"}).text


def test_a_planted_session_does_not_show_the_victims_token_to_the_planter(fresh_site: TestClient) -> None:
    same_origin = {"sec-fetch-site": "same-origin"}
    attacker = fresh_site
    attacker.post("/auth/token", json={"email": "bob@example.com", "password": "wrong"}, headers=same_origin)
    planted = attacker.cookies[SESSION_COOKIE]
    with TestClient(fresh_site.app) as victim:
        victim.cookies.set(SESSION_COOKIE, planted)
        answer = victim.post("/auth/token", json={"email": "alice@example.com", "password": "alice-demo-1"},
                             headers=same_origin)
        token = answer.json()["data"]
        assert token in victim.get("/inspector", headers={"Accept": "text/html"}).text
    seen_by_attacker = attacker.get("/inspector", headers={"Accept": "text/html"}).text
    assert token not in seen_by_attacker and "alice@example.com" not in seen_by_attacker
