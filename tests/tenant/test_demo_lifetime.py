"""The built-in tenant's demo-only short token lifetime: only from this site's own server, only shorter."""

from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from main import create_app
from tests.accounts.fake_tenant import real_tenant_settings
from tests.conftest import claims_of
from tenant.grants.password import DEMO_LIFETIME_NOT_HERE
from tests.tenant.conftest import password_grant

ALICE = {"email": "alice@example.com", "password": "alice-demo-1"}


def test_the_site_gets_a_five_second_token(tenant: TestClient) -> None:
    response = tenant.post("/demo/short-lived-token", json=ALICE)
    assert response.status_code == 200, response.text
    claims = claims_of(response.json()["data"])
    assert claims["exp"] - claims["iat"] == 5


def test_the_option_is_refused_from_anyone_else(tenant: TestClient) -> None:
    response = password_grant(tenant, playground_demo_lifetime="5")
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_request", "error_description":
                               "playground_demo_lifetime is accepted only from this playground's own server."}


def test_without_the_option_tokens_keep_their_day(tenant: TestClient) -> None:
    claims = claims_of(tenant.post("/auth/token", json=ALICE).json()["data"])
    assert claims["exp"] - claims["iat"] == 86_400


def test_a_caller_on_this_machine_is_refused_like_any_other(live_server: str) -> None:
    form = {"grant_type": "password", "username": ALICE["email"], "password": ALICE["password"],
            "client_id": "web-app", "client_secret": "web-app-secret", "audience": "https://playground/api"}
    for value in ("10", "3600", "five"):
        response = httpx.post(f"{live_server}/oauth/token", data=form | {"playground_demo_lifetime": value})
        assert response.status_code == 400, value
        assert response.json()["error_description"] == DEMO_LIFETIME_NOT_HERE


def test_a_real_tenant_site_has_no_demo_endpoint(tmp_path: Path) -> None:
    with TestClient(create_app(real_tenant_settings(tmp_path))) as client:
        assert client.post("/demo/short-lived-token", json=ALICE).status_code == 404
