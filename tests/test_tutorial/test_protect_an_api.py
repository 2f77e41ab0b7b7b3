"""The fastapi-auth0 example API with tokens from the live site's tenant: 200, 401 and 403 where the step says."""

import json

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.test_tutorial.conftest import API_AUDIENCE, load_example, user_token

EXAMPLE_ORIGIN = "http://localhost:8002"


@pytest.fixture
def example(live_server: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """tutorials.protect_an_api.app in-process, checking tokens of the live site's built-in tenant."""
    module = load_example("tutorials.protect_an_api.app", {"AUTH0_DOMAIN": f"{live_server}"}, monkeypatch)
    with TestClient(module.app, base_url=EXAMPLE_ORIGIN) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for an access token."""
    return {"Authorization": f"Bearer {token}"}


def test_public_needs_no_token(example: TestClient) -> None:
    assert example.get("/api/public").status_code == 200


@pytest.mark.parametrize("path", ["/api/secure", "/api/scoped"])
def test_no_token_is_401_with_a_bearer_challenge(example: TestClient, path: str) -> None:
    answer = example.get(path)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Bearer")


def test_alice_holds_read_messages(example: TestClient, live_server: str) -> None:
    token = user_token(f"{live_server}", "alice@example.com")
    assert example.get("/api/secure", headers=bearer(token)).status_code == 200
    scoped = example.get("/api/scoped", headers=bearer(token))
    assert scoped.status_code == 200
    assert scoped.json()["message"].startswith("Hello auth0|") and scoped.json()["permissions"] == ["read:messages"]


def test_bob_has_a_valid_token_but_not_the_scope(example: TestClient, live_server: str) -> None:
    token = user_token(f"{live_server}", "bob@example.com")
    assert example.get("/api/secure", headers=bearer(token)).status_code == 200
    scoped = example.get("/api/scoped", headers=bearer(token))
    assert scoped.status_code == 403
    assert 'error="insufficient_scope"' in scoped.headers["www-authenticate"]


def test_a_tampered_token_is_401(example: TestClient, live_server: str) -> None:
    header, claims, signature = user_token(f"{live_server}", "alice@example.com").split(".")
    forged = f"{header}.{claims}.{signature[:-4]}AAAA"
    answer = example.get("/api/secure", headers=bearer(forged))
    assert answer.status_code == 401 and 'error="invalid_token"' in answer.headers["www-authenticate"]


def test_an_id_token_is_not_an_access_token(example: TestClient, live_server: str) -> None:
    answer = httpx.post(f"{live_server}/oauth/token", timeout=10, data={
        "grant_type": "password", "client_id": "web-app", "client_secret": "web-app-secret",
        "audience": API_AUDIENCE, "scope": "openid email", "username": "alice@example.com",
        "password": "alice-demo-1"})
    assert example.get("/api/secure", headers=bearer(answer.json()["id_token"])).status_code == 401


def test_swagger_ui_offers_code_with_pkce_and_the_audience(example: TestClient, live_server: str) -> None:
    page = example.get("/docs").text
    init_oauth = json.loads(page.split("ui.initOAuth(")[1].split(")")[0])
    assert init_oauth == {"clientId": "swagger-ui", "usePkceWithAuthorizationCodeGrant": True,
                          "scopes": "read:messages"}
    schemes = example.get("/openapi.json").json()["components"]["securitySchemes"]
    flows = {name: flow for scheme in schemes.values() for name, flow in scheme.get("flows", {}).items()}
    code_flow = flows["authorizationCode"]
    assert code_flow["tokenUrl"] == f"{live_server}/oauth/token"
    assert code_flow["authorizationUrl"] == f"{live_server}/authorize?audience=https%3A%2F%2Fplayground%2Fapi"
    assert flows["implicit"]["authorizationUrl"] == code_flow["authorizationUrl"]
