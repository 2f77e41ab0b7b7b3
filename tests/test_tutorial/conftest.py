"""Helpers for running the tutorials' example apps against the site's built-in tenant."""

import importlib
import sys
from collections.abc import Iterator
from types import ModuleType
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.https_site import SDK_APP_ORIGIN, HttpsSite

API_AUDIENCE = "https://playground/api"
DEMO_PASSWORDS = {"alice@example.com": "alice-demo-1", "bob@example.com": "bob-demo-1",
                  "admin@example.com": "admin-demo-1"}


def load_example(module_name: str, environment: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Import an example app afresh, as if started with these environment variables."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop(module_name, None)
    module = importlib.import_module(module_name)
    monkeypatch.setitem(sys.modules, module_name, module)
    return module


def query_of(url: str) -> dict[str, str]:
    """The query parameters of a URL."""
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def sign_in_at_tenant(user_agent: httpx.Client, authorize_url: str, email: str, password: str) -> str:
    """Play the browser: open the authorize URL, fill the tenant's login form; return where the tenant sends it."""
    login_url = str(user_agent.get(authorize_url).headers["location"])
    login_page = user_agent.get(login_url)
    assert 'name="username"' in login_page.text and 'name="password"' in login_page.text
    form_url = str(login_page.url.copy_with(query=None))
    answer = user_agent.post(form_url, data={"state": query_of(login_url)["state"], "username": email,
                                          "password": password})
    assert answer.status_code in (302, 303), answer.text
    return answer.headers["location"]


def user_token(tenant_url: str, email: str, scope: str = "openid read:messages") -> str:
    """An access token for a demo user, straight from the tenant's token endpoint."""
    answer = httpx.post(f"{tenant_url}/oauth/token", timeout=10, data={
        "grant_type": "password", "client_id": "web-app", "client_secret": "web-app-secret",
        "audience": API_AUDIENCE, "scope": scope, "username": email, "password": DEMO_PASSWORDS[email]})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


@pytest.fixture
def user_agent() -> Iterator[httpx.Client]:
    """A cookie-keeping HTTP client that follows no redirect on its own, like a browser we step through."""
    with httpx.Client(follow_redirects=False, timeout=10) as client:
        yield client


@pytest.fixture
def sdk_web_app(trust_sdk_site: HttpsSite, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """Step 15's auth0-fastapi web app at https://localhost:3000, calling step 15's API in-process."""
    environment = {"AUTH0_DOMAIN": trust_sdk_site.domain, "APP_BASE_URL": SDK_APP_ORIGIN}
    api = load_example("tutorials.auth0_sdks.api", environment, monkeypatch)
    module = load_example("tutorials.auth0_sdks.web_app", environment, monkeypatch)
    monkeypatch.setattr(module, "messages_api", httpx.AsyncClient(transport=httpx.ASGITransport(api.app)))
    monkeypatch.setattr(module, "MESSAGES_API_URL", "http://api.test/api/messages")
    # The SDK's cookies are Secure: a browser keeps them on https, and on http://localhost too, but httpx only on https.
    with TestClient(module.app, base_url=SDK_APP_ORIGIN, follow_redirects=False) as client:
        yield client
