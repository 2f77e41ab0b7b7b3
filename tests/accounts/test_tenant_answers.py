"""How /auth/signup and /auth/token call Auth0's Authentication API and map each of its answers."""

import json
from urllib.parse import parse_qs

import httpx
import pytest

from tests.accounts.fake_tenant import AUDIENCE, CLIENT_ID, CLIENT_SECRET, TENANT_DOMAIN

ALICE = {"email": "alice@example.com", "password": "alice-demo-1"}
WEAK_PASSWORD_REPLY = {
    "name": "PasswordStrengthError", "message": "Password is too weak", "code": "invalid_password",
    "description": {"rules": [{"message": "At least %d characters in length", "format": [8], "verified": False}]},
    "policy": "* At least 8 characters in length", "statusCode": 400,
}


def test_signup_posts_to_the_database_connection(api, fake_tenant):
    fake_tenant.answer(200, {"_id": "abc", "email": "alice@example.com", "email_verified": False})
    response = api.post("/auth/signup", json=ALICE)
    assert response.status_code == 201
    assert response.json() == {"message": "User Created"}
    sent = fake_tenant.requests[0]
    assert str(sent.url) == f"https://{TENANT_DOMAIN}/dbconnections/signup"
    assert json.loads(sent.content) == {
        "client_id": CLIENT_ID, "email": "alice@example.com", "password": "alice-demo-1",
        "connection": "Username-Password-Authentication",
    }


def test_taken_email_is_a_400_with_the_tenants_reason(api, fake_tenant):
    fake_tenant.answer(400, {"name": "BadRequestError", "code": "user_exists",
                             "description": "The user already exists.", "statusCode": 400})
    response = api.post("/auth/signup", json=ALICE)
    assert response.status_code == 400
    assert response.json() == {"error": "Bad Request", "code": "user_exists", "description": "The user already exists."}


def test_weak_password_passes_on_the_policy_rules(api, fake_tenant):
    fake_tenant.answer(400, WEAK_PASSWORD_REPLY)
    response = api.post("/auth/signup", json=ALICE)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_password"
    assert response.json()["description"] == WEAK_PASSWORD_REPLY["description"]


@pytest.mark.parametrize("code", ["invalid_client", "invalid_connection"])
def test_signup_refused_for_this_sites_setup_is_a_502(api, fake_tenant, code):
    fake_tenant.answer(400, {"code": code, "description": "Unknown client"})
    response = api.post("/auth/signup", json=ALICE)
    assert response.status_code == 502
    assert response.json()["code"] == code


@pytest.mark.parametrize("path", ["/auth/signup", "/auth/token"])
@pytest.mark.parametrize("status_code", [500, 502, 401, 404])
def test_tenant_errors_are_a_502(api, fake_tenant, path, status_code):
    fake_tenant.answer(status_code, {"error": "server_error"})
    response = api.post(path, json=ALICE)
    assert response.status_code == 502
    assert response.json()["error"] == "Bad Gateway"


@pytest.mark.parametrize("path", ["/auth/signup", "/auth/token"])
def test_a_briefly_unavailable_tenant_is_a_503_even_without_retry_after(api, fake_tenant, path):
    fake_tenant.answer(503, {"error": "server_error"})
    response = api.post(path, json=ALICE)
    assert response.status_code == 503
    assert response.json() == {
        "error": "Service Unavailable", "description": "The tenant did not answer; try again in a moment.",
    }


@pytest.mark.parametrize("path", ["/auth/signup", "/auth/token"])
@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout, 503])
def test_unreachable_tenant_is_a_503(api, fake_tenant, path, error):
    if error == 503:  # the tenant answered that it is unavailable, without saying for how long
        fake_tenant.answer(503, {"error": "server_error"})
    else:
        fake_tenant.fail(error)
    response = api.post(path, json=ALICE)
    assert response.status_code == 503
    assert response.json() == {
        "error": "Service Unavailable", "description": "The tenant did not answer; try again in a moment.",
    }


@pytest.mark.parametrize("path", ["/auth/signup", "/auth/token"])
@pytest.mark.parametrize(("status_code", "code", "error"), [
    (429, "too_many_attempts", "Too Many Requests"),  # rate-limited
    (503, "temporarily_unavailable", "Service Unavailable"),  # busy checking passwords
])
def test_come_back_later_is_passed_on_with_retry_after(api, fake_tenant, path, status_code, code, error):
    fake_tenant.answer(status_code, {"error": code, "error_description": "Try again later."},
                       headers={"Retry-After": "30"})
    response = api.post(path, json=ALICE)
    assert response.status_code == status_code
    assert response.headers["retry-after"] == "30"
    assert response.json() == {"error": error, "code": code, "description": "Try again later."}


def test_token_uses_the_password_grant_with_the_api_audience(api, fake_tenant):
    fake_tenant.answer(200, {"access_token": "eyJ.header.sig", "token_type": "Bearer", "expires_in": 86400})
    response = api.post("/auth/token", json=ALICE)
    assert response.status_code == 200
    assert response.json() == {"data": "eyJ.header.sig"}
    sent = fake_tenant.requests[0]
    assert str(sent.url) == f"https://{TENANT_DOMAIN}/oauth/token"
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert sent.headers["auth0-forwarded-for"] == "testclient"  # the caller's address, for brute-force protection
    form = {key: values[0] for key, values in parse_qs(sent.content.decode()).items()}
    assert form | {"scope": None} == {
        "grant_type": "password", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "audience": AUDIENCE,
        "username": "alice@example.com", "password": "alice-demo-1", "scope": None,
    }


def test_wrong_password_is_a_401(api, fake_tenant):
    fake_tenant.answer(403, {"error": "invalid_grant", "error_description": "Wrong email or password."})
    response = api.post("/auth/token", json=ALICE)
    assert response.status_code == 401
    assert response.json() == {
        "error": "Unauthorized", "code": "invalid_grant", "description": "Wrong email or password.",
    }


def test_login_refused_by_an_action_is_a_403(api, fake_tenant):
    fake_tenant.answer(403, {"error": "access_denied", "error_description": "Blocked by an Action"})
    response = api.post("/auth/token", json=ALICE)
    assert response.status_code == 403
    assert response.json()["description"] == "Blocked by an Action"


def test_password_grant_not_enabled_is_a_502(api, fake_tenant):
    fake_tenant.answer(403, {"error": "unauthorized_client", "error_description": "Grant type 'password' not allowed"})
    response = api.post("/auth/token", json=ALICE)
    assert response.status_code == 502
    assert response.json()["code"] == "unauthorized_client"


@pytest.mark.parametrize("reply", [
    httpx.Response(200, text="<html>maintenance</html>"),
    httpx.Response(200, json=["not", "an", "object"]),
    httpx.Response(200, json={"token_type": "Bearer"}),
    httpx.Response(200, json={"access_token": ""}),
])
def test_unreadable_token_reply_is_a_502(api, fake_tenant, reply):
    fake_tenant.handler = lambda request: reply
    response = api.post("/auth/token", json=ALICE)
    assert response.status_code == 502
