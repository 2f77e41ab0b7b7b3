"""A failed login shows what happened and how to fix it: never a traceback, never a 500."""

import logging

import httpx
import pytest

from tests.accounts.fake_tenant import TENANT_DOMAIN


def callback_after_login(client, provider, **extra: str) -> httpx.Response:
    """Start a login, then come back to the callback with its state (and `extra` query parameters)."""
    query = provider.remember_nonce(client.get("/auth/login").headers["location"])
    return client.get("/auth/callback", params={"code": "the-code", "state": query["state"], **extra})


def assert_failure_page(response: httpx.Response, status_code: int, code: str, *phrases: str) -> None:
    """The friendly page, with its status, error code and advice."""
    assert response.status_code == status_code
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
    assert f"<code>{code}</code>" in response.text
    assert "How to fix it" in response.text
    for phrase in phrases:
        assert phrase in response.text


def test_access_denied(auth0_site, provider):
    response = callback_after_login(auth0_site, provider, error="access_denied", error_description="User cancelled")
    assert_failure_page(response, 403, "access_denied", "User cancelled")


def test_callback_without_a_login_in_this_browser(auth0_site):
    response = auth0_site.get("/auth/callback", params={"code": "x", "state": "not-ours"})
    assert_failure_page(response, 400, "mismatching_state", "localhost versus 127.0.0.1", "http://testserver")


def test_callback_with_nothing(auth0_site):
    assert_failure_page(auth0_site.get("/auth/callback"), 400, "mismatching_state")


def test_callback_url_mismatch(auth0_site, provider):
    provider.routes["/oauth/token"] = lambda request: httpx.Response(
        403, json={"error": "invalid_grant", "error_description": "Invalid redirect_uri: callback URL mismatch"})
    response = callback_after_login(auth0_site, provider)
    assert_failure_page(response, 400, "callback_mismatch", "Allowed Callback URLs", "http://testserver/auth/callback")


def test_expired_code(auth0_site, provider):
    provider.routes["/oauth/token"] = lambda request: httpx.Response(
        403, json={"error": "invalid_grant", "error_description": "Invalid authorization code"})
    assert_failure_page(callback_after_login(auth0_site, provider), 400, "invalid_grant", "Invalid authorization code")


def test_wrong_client_secret(auth0_site, provider):
    provider.routes["/oauth/token"] = lambda request: httpx.Response(
        401, json={"error": "access_denied", "error_description": "Unauthorized"})
    assert_failure_page(callback_after_login(auth0_site, provider), 502, "access_denied", "AUTH0_CLIENT_SECRET")
    provider.routes["/oauth/token"] = lambda request: httpx.Response(
        401, json={"error": "invalid_client", "error_description": "Client authentication failed"})
    assert_failure_page(callback_after_login(auth0_site, provider), 502, "invalid_client", "AUTH0_CLIENT_SECRET")


def fail(error: type[httpx.TransportError]):
    """An answer that raises like an unreachable tenant."""
    def answer(request: httpx.Request) -> httpx.Response:
        raise error("tenant down", request=request)
    return answer


@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout])
def test_tenant_down_before_login(auth0_site, provider, error):
    provider.routes["/.well-known/openid-configuration"] = fail(error)
    response = auth0_site.get("/auth/login")
    assert_failure_page(response, 503, "tenant_unreachable", f"https://{TENANT_DOMAIN}", "AUTH0_DOMAIN")


def test_tenant_down_at_the_callback(auth0_site, provider):
    provider.routes["/oauth/token"] = fail(httpx.ConnectError)
    assert_failure_page(callback_after_login(auth0_site, provider), 503, "tenant_unreachable")


@pytest.mark.parametrize("answer", [
    lambda request: httpx.Response(500, text="upstream exploded"),
    lambda request: httpx.Response(200, text="<html>not json</html>"),
])
def test_tenant_error_at_the_callback(auth0_site, provider, answer):
    provider.routes["/oauth/token"] = answer
    assert_failure_page(callback_after_login(auth0_site, provider), 502, "tenant_error")


def test_discovery_error(auth0_site, provider):
    provider.routes["/.well-known/openid-configuration"] = lambda request: httpx.Response(503)
    assert_failure_page(auth0_site.get("/auth/login"), 502, "tenant_error")


def test_id_token_with_the_wrong_nonce(auth0_site, provider):
    query = provider.remember_nonce(auth0_site.get("/auth/login").headers["location"])
    provider.nonce = "someone-elses-nonce"
    response = auth0_site.get("/auth/callback", params={"code": "the-code", "state": query["state"]})
    assert_failure_page(response, 502, "invalid_id_token")


def test_id_token_signed_by_another_key(auth0_site, provider):
    from joserfc.jwk import RSAKey

    provider.key = RSAKey.generate_key(2048, parameters={"kid": "test-key"}, auto_kid=False)
    query = provider.remember_nonce(auth0_site.get("/auth/login").headers["location"])
    original_jwks = provider.jwks(None).json()
    provider.routes["/.well-known/jwks.json"] = lambda request: httpx.Response(200, json=original_jwks)
    provider.key = RSAKey.generate_key(2048, parameters={"kid": "test-key"}, auto_kid=False)
    response = auth0_site.get("/auth/callback", params={"code": "the-code", "state": query["state"]})
    assert_failure_page(response, 502, "invalid_id_token")


@pytest.mark.parametrize("state", [None, "not-ours"])
def test_an_error_callback_this_browser_did_not_start_shows_no_foreign_words(auth0_site, state):
    params = {"error": "access_denied", "error_description": "Your account is locked: call +1 555 0100"}
    response = auth0_site.get("/auth/callback", params=params | ({"state": state} if state else {}))
    assert_failure_page(response, 400, "mismatching_state", "not one this browser started")
    assert "+1 555 0100" not in response.text


def test_an_error_description_cannot_forge_a_log_line(auth0_site, provider, caplog):
    forged = "User cancelled\nINFO:     127.0.0.1 - \"GET /admin HTTP/1.1\" 200"
    with caplog.at_level(logging.WARNING):
        response = callback_after_login(auth0_site, provider, error="access_denied", error_description=forged)
    assert_failure_page(response, 403, "access_denied", "User cancelled")
    messages = [record.getMessage() for record in caplog.records if "Login failed" in record.getMessage()]
    assert messages and all("\n" not in message for message in messages)
