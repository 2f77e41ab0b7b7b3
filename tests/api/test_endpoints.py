"""Each endpoint with real tokens from the built-in tenant: every user, the m2m client, and every flow."""

import pytest
from fastapi.testclient import TestClient

from tests.api import tokens
from tests.api.tokens import bearer


def test_public_needs_no_token(site: TestClient) -> None:
    response = site.get("/api/public")
    assert response.status_code == 200
    assert "no token" in response.json()["message"]


@pytest.mark.parametrize("user", ["alice", "bob", "admin", "m2m"])
def test_secure_accepts_any_valid_token(site: TestClient, access_tokens: dict[str, str], user: str) -> None:
    response = site.get("/api/secure", headers=bearer(access_tokens[user]))
    assert response.status_code == 200, response.text
    assert response.json()["user"]["id"] == tokens.parts(access_tokens[user])[1]["sub"]


def test_alice_reads_scoped_messages(site: TestClient, access_tokens: dict[str, str]) -> None:
    response = site.get("/api/scoped", headers=bearer(access_tokens["alice"]))
    assert response.status_code == 200
    assert response.json()["user"]["permissions"] == ["read:messages"]


def test_bob_is_refused_the_scope_he_does_not_hold(site: TestClient, access_tokens: dict[str, str]) -> None:
    response = site.get("/api/scoped", headers=bearer(access_tokens["bob"]))
    assert response.status_code == 403
    assert response.json()["error"] == "insufficient_scope"
    assert response.json()["check"] == "scope"
    assert "read:messages" in response.json()["detail"]
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer error="insufficient_scope"')
    assert 'scope="read:messages"' in challenge


def test_admin_passes_the_permissions_check(site: TestClient, access_tokens: dict[str, str]) -> None:
    response = site.get("/api/admin", headers=bearer(access_tokens["admin"]))
    assert response.status_code == 200, response.text
    assert "admin:messages" in response.json()["user"]["permissions"]


def test_admin_permission_is_read_from_permissions_not_scope(site: TestClient) -> None:
    token = tokens.password_grant(site, "admin", scope="openid")["access_token"]
    assert "admin:messages" not in tokens.parts(token)[1].get("scope", "")
    assert site.get("/api/admin", headers=bearer(token)).status_code == 200


@pytest.mark.parametrize("user", ["alice", "bob", "m2m"])
def test_others_are_refused_admin(site: TestClient, access_tokens: dict[str, str], user: str) -> None:
    response = site.get("/api/admin", headers=bearer(access_tokens[user]))
    assert response.status_code == 403
    assert response.json()["check"] == "permissions"
    assert 'scope="admin:messages"' in response.headers["www-authenticate"]


def test_m2m_token_reads_scoped_messages(site: TestClient, access_tokens: dict[str, str]) -> None:
    assert site.get("/api/scoped", headers=bearer(access_tokens["m2m"])).status_code == 200


def test_claims_recognise_a_machine_to_machine_token(site: TestClient, access_tokens: dict[str, str]) -> None:
    body = site.get("/api/claims", headers=bearer(access_tokens["m2m"])).json()
    assert body["kind"].startswith("Machine-to-machine")
    assert body["claims"]["sub"] == "m2m@clients"
    assert body["claims"]["gty"] == "client-credentials"


def test_claims_explain_alices_password_grant_token(site: TestClient, access_tokens: dict[str, str]) -> None:
    body = site.get("/api/claims", headers=bearer(access_tokens["alice"])).json()
    assert "password grant" in body["kind"]
    assert body["header"]["alg"] == "RS256" and body["header"]["kid"]
    assert body["claims"]["iss"] == tokens.ISSUER
    assert body["claims"]["scope"] == "openid read:messages"
    assert set(body["claims_explained"]) == set(body["claims"])
    assert "http://testserver/" in body["claims_explained"]["iss"]
    assert "permissions" in body["claims_explained"]["permissions"].lower()
    assert body["times"]["exp"].endswith(")") and "UTC (in " in body["times"]["exp"]
    assert " ago)" in body["times"]["iat"] or "(in 0 s)" in body["times"]["iat"]


def test_pkce_login_token_is_accepted(browserless: TestClient) -> None:
    token = tokens.pkce_login(browserless, "alice")
    body = browserless.get("/api/claims", headers=bearer(token)).json()
    assert body["claims"]["azp"] == "swagger-ui"
    assert "interactive login" in body["kind"]
    assert browserless.get("/api/scoped", headers=bearer(token)).status_code == 200


def test_implicit_login_token_is_accepted(browserless: TestClient) -> None:
    token = tokens.implicit_login(browserless, "admin")
    assert browserless.get("/api/admin", headers=bearer(token)).status_code == 200


def test_interactive_login_as_bob_is_still_refused_the_scope(browserless: TestClient) -> None:
    token = tokens.pkce_login(browserless, "bob")
    assert browserless.get("/api/secure", headers=bearer(token)).status_code == 200
    assert browserless.get("/api/scoped", headers=bearer(token)).status_code == 403


def test_a_token_without_email_points_to_the_step_that_adds_it(site) -> None:
    machine = site.post("/oauth/token", json={"grant_type": "client_credentials", "client_id": "m2m",
                                              "client_secret": "m2m-secret", "audience": "https://playground/api"})
    answer = site.get("/api/secure", headers={"Authorization": f"Bearer {machine.json()['access_token']}"})
    assert answer.status_code == 200 and answer.json()["user"]["email"] is None
    assert "/tutorials/custom-claims-with-actions" in answer.json()["email_note"]
