"""The sign-up and token example against the live site's tenant: statuses mapped as the step says."""

import uuid

import pytest
from fastapi.testclient import TestClient

from tests.conftest import claims_of, free_port
from tests.test_tutorial.conftest import API_AUDIENCE, load_example

MODULE = "tutorials.signup_and_token.app"


def example_for(issuer: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """The example app, configured as its environment variables say, for the tenant at `issuer`."""
    module = load_example(MODULE, {"AUTH0_TOKEN_ISSUER": issuer}, monkeypatch)
    return TestClient(module.app)


@pytest.fixture
def example(live_server: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """The example talking to the built-in tenant of the live site (issuer written with its trailing slash)."""
    with example_for(f"{live_server}/", monkeypatch) as client:
        yield client


def test_sign_up_then_get_a_token_for_the_api(example: TestClient, live_server: str) -> None:
    email, password = f"step5-{uuid.uuid4().hex[:8]}@example.com", "Step-five-pass-1"
    created = example.post("/signup", json={"email": email, "password": password})
    assert (created.status_code, created.json()) == (201, {"message": "User Created"})

    again = example.post("/signup", json={"email": email, "password": password})
    assert again.status_code == 400 and again.json()["error"] == "Bad Request"

    token = example.post("/token", json={"email": email, "password": password})
    assert token.status_code == 200
    claims = claims_of(token.json()["data"])
    assert API_AUDIENCE in ([claims["aud"]] if isinstance(claims["aud"], str) else claims["aud"])
    assert claims["iss"] == f"{live_server}/"


def test_alice_gets_a_token_with_her_scope(example: TestClient) -> None:
    token = example.post("/token", json={"email": "alice@example.com", "password": "alice-demo-1"})
    assert token.status_code == 200
    assert claims_of(token.json()["data"])["scope"].split() == ["read:messages"]


def test_wrong_password_is_401(example: TestClient) -> None:
    answer = example.post("/token", json={"email": "alice@example.com", "password": "not-her-password"})
    assert (answer.status_code, answer.json()) == (401, {"error": "Unauthorized"})


def test_malformed_email_is_refused_before_any_call(example: TestClient) -> None:
    assert example.post("/signup", json={"email": "not-an-email", "password": "x"}).status_code == 422


def test_unreachable_tenant_is_503(monkeypatch: pytest.MonkeyPatch) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    with example_for(nowhere, monkeypatch) as client:
        answer = client.post("/token", json={"email": "alice@example.com", "password": "alice-demo-1"})
    assert answer.status_code == 503 and answer.json()["error"] == "Service Unavailable"
    assert f"No answer from the tenant at {nowhere}" in answer.json()["description"]


def test_tenant_answering_nonsense_is_502(live_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with example_for(f"{live_server}/not-a-tenant", monkeypatch) as client:
        assert client.post("/signup", json={"email": "x@example.com", "password": "Pass-word-1"}).status_code == 502
        assert client.post("/token", json={"email": "x@example.com", "password": "Pass-word-1"}).status_code == 502


def test_settings_default_to_the_builtin_tenant_of_a_local_site(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AUTH0_TOKEN_ISSUER", "AUTH0_TOKEN_AUDIENCE", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    module = load_example(MODULE, {}, monkeypatch)
    settings = module.Settings(_env_file=None)
    assert settings.tenant_url == "http://localhost:8000"
    assert (settings.auth0_client_id, settings.auth0_token_audience) == ("web-app", API_AUDIENCE)
