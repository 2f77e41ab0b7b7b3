"""The database connection: sign-up and password change, with Auth0's bodies."""

import logging
import re

import pytest

from tests.tenant.conftest import SWAGGER_CALLBACK, WEB_APP, code_params, password_grant, sign_in

SIGNUP = "/dbconnections/signup"


def signup(tenant, email: str, password: str, **extra: str):
    """POST /dbconnections/signup as an SDK would."""
    return tenant.post(SIGNUP, json={"client_id": "web-app", "email": email, "password": password,
                                     "connection": "Username-Password-Authentication", **extra})


def test_signup_then_log_in(tenant):
    response = signup(tenant, "dana@example.com", "Dana-pass-1")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"_id", "email_verified", "email"} and body["email"] == "dana@example.com"
    assert password_grant(tenant, "dana", password="Dana-pass-1", scope="read:messages").status_code == 200


def test_existing_user_is_user_exists(tenant):
    response = signup(tenant, "ALICE@example.com", "Another-pass-1")
    assert response.status_code == 400
    assert response.json()["code"] == "user_exists"


def test_weak_password_returns_the_policy(tenant):
    response = signup(tenant, "erin@example.com", "weak")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_password" and body["name"] == "PasswordStrengthError"
    assert "At least 8 characters" in body["policy"]
    assert body["description"]["rules"][0]["verified"] is False


@pytest.mark.parametrize("email", ["not-an-email", "", "a@b", None])
def test_bad_email_is_invalid_signup(tenant, email):
    response = signup(tenant, email, "Good-pass-1")
    assert response.status_code == 400 and response.json()["code"] == "invalid_signup"


@pytest.mark.parametrize(("extra", "code"), [
    ({"client_id": "nobody"}, "invalid_client"),
    ({"connection": "google-oauth2"}, "invalid_connection"),
])
def test_unknown_client_or_connection(tenant, extra, code):
    response = signup(tenant, "fay@example.com", "Good-pass-1", **extra)
    assert response.status_code == 400 and response.json()["code"] == code


def test_unreadable_signup_body(tenant):
    response = tenant.post(SIGNUP, content="{", headers={"content-type": "application/json"})
    assert response.status_code == 400


def test_change_password_logs_a_working_reset_link(tenant, caplog):
    caplog.set_level(logging.WARNING, logger="tenant")
    response = tenant.post("/dbconnections/change_password", json={
        "client_id": "web-app", "email": "bob@example.com", "connection": "Username-Password-Authentication"})
    assert response.status_code == 200
    assert response.text == "We've just sent you an email to reset your password."
    link = re.search(r"(http://testserver/lo/reset\?ticket=\S+)", caplog.text).group(1)
    path = link.removeprefix("http://testserver")
    assert tenant.get(path).status_code == 200
    ticket = path.split("ticket=")[1]
    assert tenant.post("/lo/reset", data={"ticket": ticket, "password": "weak"}).status_code == 400
    assert tenant.post("/lo/reset", data={"ticket": ticket, "password": "Bob-new-pass-2"}).status_code == 200
    assert password_grant(tenant, "bob", password="Bob-new-pass-2").status_code == 200
    assert password_grant(tenant, "bob").status_code == 403
    assert tenant.post("/lo/reset", data={"ticket": ticket, "password": "Bob-new-pass-3"}).status_code == 400


def test_change_password_for_unknown_email_says_the_same(tenant):
    response = tenant.post("/dbconnections/change_password", json={
        "client_id": "web-app", "email": "nobody@example.com", "connection": "Username-Password-Authentication"})
    assert response.status_code == 200


def reset_ticket(tenant, caplog, email: str) -> str:
    """Ask for a password reset; the ticket of the link written to the log."""
    caplog.clear()
    tenant.post("/dbconnections/change_password", json={
        "client_id": "web-app", "email": email, "connection": "Username-Password-Authentication"})
    return re.findall(r"lo/reset\?ticket=(\S+)", caplog.text)[-1]


def test_a_password_reset_ends_every_session_refresh_token_and_other_reset_link(tenant, caplog):
    caplog.set_level(logging.WARNING, logger="tenant")
    params = code_params()
    sign_in(tenant, params, "bob@example.com", "bob-demo-1")
    assert tenant.get("/authorize", params={**params, "prompt": "none"}).headers["location"].startswith(
        f"{SWAGGER_CALLBACK}?code=")
    refresh_token = password_grant(tenant, "bob", scope="openid offline_access").json()["refresh_token"]
    # A newer reset link replaces the older one.
    older, newer = reset_ticket(tenant, caplog, "bob@example.com"), reset_ticket(tenant, caplog, "bob@example.com")

    assert tenant.post("/lo/reset", data={"ticket": newer, "password": "Bob-new-pass-2"}).status_code == 200

    assert "error=login_required" in tenant.get("/authorize", params={**params, "prompt": "none"}
                                                ).headers["location"]
    refreshed = tenant.post("/oauth/token", data={"grant_type": "refresh_token",
                                                         "refresh_token": refresh_token, **WEB_APP})
    assert refreshed.status_code == 403
    assert tenant.post("/lo/reset", data={"ticket": older, "password": "Bob-new-pass-3"}).status_code == 400
    assert tenant.post("/lo/reset", data={"ticket": newer, "password": "Bob-new-pass-3"}).status_code == 400
    assert password_grant(tenant, "bob", password="Bob-new-pass-2").status_code == 200
