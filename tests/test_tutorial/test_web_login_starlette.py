"""The Starlette example logs a user in through the tenant's form, shows who it is, and logs out of both."""

import httpx
import pytest
from authlib.integrations.base_client import MismatchingStateError
from starlette.testclient import TestClient

from tests.test_tutorial.conftest import load_example, query_of, sign_in_at_tenant

EXAMPLE_ORIGIN = "http://localhost:9001"


@pytest.fixture
def example(live_server: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """tutorials.web_login_starlette.app in-process at its documented origin, talking to the live site's tenant."""
    module = load_example("tutorials.web_login_starlette.app", {"TENANT_URL": f"{live_server}"}, monkeypatch)
    with TestClient(module.app, base_url=EXAMPLE_ORIGIN, follow_redirects=False) as client:
        yield client


def test_log_in_see_the_profile_and_log_out(example: TestClient, user_agent: httpx.Client, live_server: str) -> None:
    assert example.get("/profile").headers["location"] == f"{EXAMPLE_ORIGIN}/auth/login"
    assert "Not signed in" in example.get("/").text

    authorize_url = example.get("/auth/login").headers["location"]
    assert authorize_url.startswith(f"{live_server}/authorize?")
    sent = query_of(authorize_url)
    assert sent["redirect_uri"] == f"{EXAMPLE_ORIGIN}/auth/callback"
    assert sent["code_challenge_method"] == "S256" and sent["scope"] == "openid profile email"

    callback_url = sign_in_at_tenant(user_agent, authorize_url, "alice@example.com", "alice-demo-1")
    assert callback_url.startswith(f"{EXAMPLE_ORIGIN}/auth/callback?code=")
    assert example.get(callback_url).headers["location"] == f"{EXAMPLE_ORIGIN}/"
    claims = example.get("/profile").json()
    assert claims["email"] == "alice@example.com"
    assert claims["iss"] == f"{live_server}/" and claims["aud"] == "web-app"
    assert "Signed in as" in example.get("/").text
    # While the tenant's session lives, logging in again skips the password (single sign-on).
    again = user_agent.get(example.get("/auth/login").headers["location"]).headers["location"]
    assert again.startswith(f"{EXAMPLE_ORIGIN}/auth/callback?code=")

    logout_url = example.get("/auth/logout").headers["location"]
    assert logout_url.startswith(f"{live_server}/v2/logout?")
    assert query_of(logout_url) == {"returnTo": f"{EXAMPLE_ORIGIN}/", "client_id": "web-app"}
    assert user_agent.get(logout_url).headers["location"] == f"{EXAMPLE_ORIGIN}/"
    assert example.get("/profile").status_code == 303

    # The tenant's session ended too: a new login asks for the password again.
    next_authorize_url = example.get("/auth/login").headers["location"]
    assert "/u/login" in user_agent.get(next_authorize_url).headers["location"]


def test_a_forged_callback_is_refused(example: TestClient) -> None:
    example.get("/auth/login")
    with pytest.raises(MismatchingStateError):
        example.get("/auth/callback?code=stolen&state=guessed")
