"""auth0-fastapi (on auth0-server-python), unmodified, logs a user in and out of the tenant over https."""

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import SDK_APP_ORIGIN
from tests.https_site import HttpsSite
from tests.tenant.conftest import past_consent, query_of
from tests.test_tutorial.conftest import load_example, sign_in_at_tenant

DENIED_BY_ACTION = "Only staff may log in here"


@pytest.fixture
def web_app(trust_sdk_site: HttpsSite, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """Step 15's auth0-fastapi web app at https://localhost:3000, its API calls answered by step 15's API in-process."""
    environment = {"AUTH0_DOMAIN": trust_sdk_site.domain, "APP_BASE_URL": SDK_APP_ORIGIN}
    api = load_example("tutorials.auth0_sdks.api", environment, monkeypatch)
    module = load_example("tutorials.auth0_sdks.web_app", environment, monkeypatch)
    monkeypatch.setattr(module, "messages_api", httpx.AsyncClient(transport=httpx.ASGITransport(api.app)))
    monkeypatch.setattr(module, "MESSAGES_API_URL", "http://api.test/api/messages")
    # The SDK's cookies are Secure: a browser keeps them on https, and on http://localhost too, but httpx only on https.
    with TestClient(module.app, base_url=SDK_APP_ORIGIN, follow_redirects=False) as client:
        yield client


def log_in(web_app: TestClient, tenant: httpx.Client, email: str, password: str, **query: str) -> str:
    """Start at the app's /auth/login, fill the tenant's login page, pass its consent; return the callback URL."""
    authorize_url = web_app.get("/auth/login", params=query).headers["location"]
    return past_consent(tenant, sign_in_at_tenant(tenant, authorize_url, email, password))


def test_log_in_get_the_user_and_a_token_for_the_api_then_log_out(web_app: TestClient, tenant: httpx.Client,
                                                                  sdk_site: HttpsSite) -> None:
    assert web_app.get("/profile").status_code == 401
    authorize_url = web_app.get("/auth/login").headers["location"]
    assert authorize_url.startswith(f"{sdk_site.origin}/authorize?")
    sent = query_of(authorize_url)
    assert sent["redirect_uri"] == f"{SDK_APP_ORIGIN}/auth/callback" and sent["audience"] == "https://playground/api"
    assert sent["code_challenge_method"] == "S256"

    callback = past_consent(tenant, sign_in_at_tenant(tenant, authorize_url, "alice@example.com", "alice-demo-1"))
    assert callback.startswith(f"{SDK_APP_ORIGIN}/auth/callback?code=")
    assert web_app.get(callback).headers["location"].rstrip("/") == SDK_APP_ORIGIN
    user = web_app.get("/profile").json()
    assert user["email"] == "alice@example.com" and user["sub"].startswith("auth0|")
    called = web_app.get("/messages").json()
    assert called["status"] == 200 and called["api_said"]["messages"] == ["Welcome to the API."]

    logout_url = web_app.get("/auth/logout").headers["location"]
    assert logout_url.startswith(f"{sdk_site.origin}/v2/logout?")
    ended = tenant.get(logout_url)
    assert ended.status_code == 302 and ended.headers["location"].rstrip("/") == SDK_APP_ORIGIN
    assert web_app.get("/profile").status_code == 401
    # The tenant's session ended too: logging in again asks for the password.
    again = tenant.get(web_app.get("/auth/login").headers["location"]).headers["location"]
    assert "/u/login" in again


def test_an_actions_deny_reaches_the_app_as_access_denied(web_app: TestClient, tenant: httpx.Client) -> None:
    callback = log_in(web_app, tenant, "alice@example.com", "alice-demo-1",
                      scope="openid profile scenario:deny")
    assert query_of(callback)["error"] == "access_denied"
    answer = web_app.get(callback)
    assert answer.status_code == 400 and answer.json()["detail"] == DENIED_BY_ACTION
    assert web_app.get("/profile").status_code == 401


def test_a_forged_callback_makes_no_session(web_app: TestClient) -> None:
    web_app.get("/auth/login")
    assert web_app.get("/auth/callback?code=stolen&state=guessed").status_code == 400
    assert web_app.get("/profile").status_code == 401
