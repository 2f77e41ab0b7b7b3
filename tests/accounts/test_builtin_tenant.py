"""The sign-up and token API against the built-in tenant, in-process: the contract of the source article."""

import logging
import uuid

from fastapi.testclient import TestClient

from tests.conftest import claims_of
from tests.tenant.conftest import code_params, pkce_pair, sign_in
from tests.tenant.mfa_steps import enroll


def unique_email() -> str:
    """An address nobody has signed up with yet."""
    return f"user-{uuid.uuid4().hex[:10]}@example.com"


def test_sign_up_then_get_a_token(site):
    email = unique_email()
    created = site.post("/auth/signup", json={"email": email, "password": "Strong-enough-42"})
    assert created.status_code == 201
    assert created.json() == {"message": "User Created"}
    token = site.post("/auth/token", json={"email": email, "password": "Strong-enough-42"})
    assert token.status_code == 200
    assert list(token.json()) == ["data"]


def test_token_is_a_jwt_for_the_api(site):
    response = site.post("/auth/token", json={"email": "alice@example.com", "password": "alice-demo-1"})
    assert response.status_code == 200
    claims = claims_of(response.json()["data"])
    assert claims["iss"] == "http://testserver/"
    assert "https://playground/api" in ([claims["aud"]] if isinstance(claims["aud"], str) else claims["aud"])
    assert "read:messages" in claims["permissions"]


def test_taken_email(site):
    response = site.post("/auth/signup", json={"email": "alice@example.com", "password": "Strong-enough-42"})
    assert response.status_code == 400
    assert response.json()["code"] in ("user_exists", "invalid_signup")
    assert response.json()["description"]


def test_weak_password(site):
    response = site.post("/auth/signup", json={"email": unique_email(), "password": "short"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_password"
    assert response.json()["description"]


def test_wrong_password(site):
    response = site.post("/auth/token", json={"email": "alice@example.com", "password": "not-alices-password"})
    assert response.status_code == 401
    assert response.json() == {
        "error": "Unauthorized", "code": "invalid_grant", "description": "Wrong email or password.",
    }


def test_unknown_user(site):
    response = site.post("/auth/token", json={"email": unique_email(), "password": "whatever-it-is"})
    assert response.status_code == 401


def test_no_password_or_token_reaches_the_log(site, caplog):
    email, password = unique_email(), "Never-log-me-9731"
    with caplog.at_level(logging.DEBUG):
        site.post("/auth/signup", json={"email": email, "password": password})
        site.post("/auth/signup", json={"email": email, "password": password})  # taken
        token = site.post("/auth/token", json={"email": email, "password": password}).json()["data"]
        site.post("/auth/token", json={"email": email, "password": password + "-wrong"})
        site.post("/auth/token", json={"email": "not-an-email", "password": password})
    assert caplog.records, "the requests above should have been logged"
    for record in caplog.records:
        line = record.getMessage() + repr(record.args) + (record.exc_text or "")
        assert password not in line, record.name
        assert token not in line and token.split(".")[2] not in line, record.name
    assert any(email in record.getMessage() for record in caplog.records)  # the email is logged, to trace requests


def test_an_account_with_an_authenticator_app_gets_a_clear_403(site):
    email, password = unique_email(), "Strong-enough-42"
    assert site.post("/auth/signup", json={"email": email, "password": password}).status_code == 201
    browser = TestClient(site.app, base_url="http://testserver", follow_redirects=False)
    _, challenge = pkce_pair()
    params = code_params(code_challenge=challenge, code_challenge_method="S256",
                         acr_values="http://schemas.openid.net/pape/policies/2007/06/multi-factor")
    enroll(browser, sign_in(browser, params, email, password))
    response = site.post("/auth/token", json={"email": email, "password": password})
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required" and "authenticator app" in response.json()["description"]
