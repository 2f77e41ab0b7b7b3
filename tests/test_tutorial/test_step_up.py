"""Step 20's examples: the API answers insufficient_user_authentication; the client steps up with acr_values."""

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.tenant.conftest import past_consent, pkce_pair, query_of
from tests.tenant.mfa_steps import enroll
from tests.test_tutorial.conftest import API_AUDIENCE, load_example, sign_in_at_tenant
from tests.test_tutorial.test_mfa import PASSWORD, WEB_APP
from tutorials.step_up.client import StepUpNeeded, step_up_url, transfer


@pytest.fixture
def example_api(live_server: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """tutorials.step_up.api in-process, checking tokens of the live site's built-in tenant."""
    module = load_example("tutorials.step_up.api", {"AUTH0_DOMAIN": live_server}, monkeypatch)
    with TestClient(module.app, base_url="http://localhost:8003") as client:
        yield client


def test_the_client_steps_up_when_the_api_asks(live_server: str, example_api: TestClient) -> None:
    email = "step20@example.com"
    with httpx.Client(base_url=live_server, follow_redirects=False, timeout=10) as browser:
        assert browser.post("/dbconnections/signup", json={
            "client_id": "web-app", "email": email, "password": PASSWORD,
            "connection": "Username-Password-Authentication"}).status_code == 200
        first = browser.post("/oauth/token", data={"grant_type": "password", "username": email, "password": PASSWORD,
                                                   "audience": API_AUDIENCE, "scope": "openid", **WEB_APP}).json()
        with pytest.raises(StepUpNeeded) as needed:
            transfer(example_api, "", first["access_token"], 10)

        redirect_uri = f"{live_server}/docs/oauth2-redirect"
        verifier, challenge = pkce_pair()
        url = step_up_url(live_server, "swagger-ui", redirect_uri, API_AUDIENCE, needed.value.acr_values, "s1",
                          challenge)
        location = past_consent(browser, sign_in_at_tenant(browser, url, email, PASSWORD))
        _, _, callback = enroll(browser, location)
        tokens = browser.post("/oauth/token", data={
            "grant_type": "authorization_code", "client_id": "swagger-ui", "code": query_of(callback)["code"],
            "redirect_uri": redirect_uri, "code_verifier": verifier}).json()
    assert transfer(example_api, "", tokens["access_token"], 10)["message"].endswith("sent 10.00.")


def test_no_token_is_a_plain_401(example_api: TestClient) -> None:
    answer = example_api.post("/api/transfer", params={"amount": 1})
    assert answer.status_code == 401 and "insufficient_user_authentication" not in answer.headers["www-authenticate"]
