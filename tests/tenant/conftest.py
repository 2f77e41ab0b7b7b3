"""Fixtures and helpers for the built-in tenant's tests."""

import base64
import hashlib
import re
import secrets
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from main import create_app
from tests.conftest import builtin_settings

API = "https://playground/api"
SITE = "http://testserver"
ISSUER = f"{SITE}/"
SWAGGER_CALLBACK = f"{SITE}/docs/oauth2-redirect"
WEB_CALLBACK = f"{SITE}/auth/callback"
WEB_APP = {"client_id": "web-app", "client_secret": "web-app-secret"}
M2M = {"client_id": "m2m", "client_secret": "m2m-secret"}
USERS = {"alice": "alice-demo-1", "bob": "bob-demo-1", "admin": "admin-demo-1"}


@pytest.fixture
def tenant(tmp_path, database_url) -> Iterator[TestClient]:
    """A fresh site with its own built-in tenant (on SQLite, then on PostgreSQL), not following redirects."""
    app = create_app(builtin_settings(tmp_path, database_url=database_url))
    with TestClient(app, follow_redirects=False) as client:
        yield client


LOOPBACK_SITE = "http://127.0.0.1:8000"


@pytest.fixture
def loopback_tenant(tmp_path, database_url) -> Iterator[TestClient]:
    """A site on a loopback origin, where the tenant's clients also allow the tutorial's example apps."""
    app = create_app(builtin_settings(tmp_path, origin=LOOPBACK_SITE, database_url=database_url))
    with TestClient(app, base_url=LOOPBACK_SITE, follow_redirects=False) as client:
        yield client


def password_grant(client: TestClient, user: str = "alice", **overrides: str):
    """POST /oauth/token with the password grant for a demo user."""
    data = {"grant_type": "password", "username": f"{user}@example.com", "password": USERS.get(user, ""),
            "audience": API, "scope": "openid profile email read:messages admin:messages", **WEB_APP, **overrides}
    return client.post("/oauth/token", data={k: v for k, v in data.items() if v is not None})


def pkce_pair() -> tuple[str, str]:
    """A PKCE code verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def query_of(location: str) -> dict[str, str]:
    """The query parameters of a redirect."""
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def fragment_of(location: str) -> dict[str, str]:
    """The fragment parameters of a redirect."""
    return {key: values[0] for key, values in parse_qs(urlsplit(location).fragment).items()}


def sign_in(client: TestClient, authorize_params: dict, email: str, password: str) -> str:
    """Go through /authorize and the login form; return where the tenant redirects the browser."""
    response = client.get("/authorize", params=authorize_params)
    assert response.status_code == 302, response.text
    login_url = response.headers["location"]
    assert "/u/login" in login_url
    state = query_of(login_url)["state"]
    response = client.post("/u/login", data={"state": state, "username": email, "password": password})
    assert response.status_code == 302, response.text
    return response.headers["location"]


def consent_state(location: str) -> str:
    """The pending authorization a redirect to the consent screen carries."""
    assert "/u/consent?" in location, location
    return query_of(location)["state"]


def accept_consent(client: TestClient | httpx.Client, location: str, action: str = "accept", **post: object) -> str:
    """Answer the consent screen the tenant sent the browser to (Accept, or "deny"); return where it goes next."""
    response = client.post(location.split("?", 1)[0], data={"state": consent_state(location), "action": action},
                           **post)
    assert response.status_code == 302, response.text
    return response.headers["location"]


def past_consent(client: TestClient | httpx.Client, location: str, **post: object) -> str:
    """Where the browser goes after the login form: past the consent screen, accepted, when the tenant shows it."""
    return accept_consent(client, location, **post) if "/u/consent?" in location else location


def code_params(**overrides: str) -> dict:
    """An authorization request for Swagger UI's client with PKCE."""
    return {"response_type": "code", "client_id": "swagger-ui", "redirect_uri": SWAGGER_CALLBACK,
            "scope": "openid profile email read:messages", "audience": API, "state": "xyz", "nonce": "n-0S6",
            **overrides}


def form_token_on(page: str) -> str:
    """The one-time token of the activation form on a page ("" when no form is shown)."""
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    return found.group(1) if found else ""


def activation_form_token(client: TestClient, user_code: str, site: str = "") -> str:
    """Open the activation page for a user code; the one-time token of its form."""
    return form_token_on(client.get(f"{site}/activate", params={"user_code": user_code}).text)


def submit_activation(client: TestClient, user_code: str, action: str = "confirm", site: str = "", **fields: str):
    """Open the activation page as a browser does, then submit its form."""
    token = activation_form_token(client, user_code, site)
    return client.post(f"{site}/activate",
                       data={"user_code": user_code, "action": action, "form_token": token, **fields})
