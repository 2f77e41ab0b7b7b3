"""The Flask example: log in through the tenant's form, see the profile of claims, log out of both."""

import html
import json

import httpx
import pytest
from flask.testing import FlaskClient

from tests.test_tutorial.conftest import load_example, query_of, sign_in_at_tenant

EXAMPLE_ORIGIN = "http://localhost:5000"


@pytest.fixture
def example(live_server: str, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    """tutorials.web_login_flask.app's test client; its server-side calls reach the live site over loopback."""
    module = load_example("tutorials.web_login_flask.app", {"TENANT_URL": f"{live_server}"}, monkeypatch)
    return module.app.test_client()


def visit(example: FlaskClient, url: str):
    """A request to the example at its documented origin."""
    return example.get(url if url.startswith("http") else f"{EXAMPLE_ORIGIN}{url}")


def test_log_in_see_the_profile_and_log_out(example: FlaskClient, user_agent: httpx.Client, live_server: str) -> None:
    assert visit(example, "/profile").headers["location"] == "/login"
    assert 'href="/login"' in visit(example, "/").text

    authorize_url = visit(example, "/login").headers["location"]
    assert authorize_url.startswith(f"{live_server}/authorize?")
    assert query_of(authorize_url)["redirect_uri"] == f"{EXAMPLE_ORIGIN}/callback"

    callback_url = sign_in_at_tenant(user_agent, authorize_url, "bob@example.com", "bob-demo-1")
    assert callback_url.startswith(f"{EXAMPLE_ORIGIN}/callback?code=")
    assert visit(example, callback_url).headers["location"] == "/profile"

    profile = visit(example, "/profile")  # rendered from templates/profile.html
    assert profile.status_code == 200
    assert '<p class="email">bob@example.com</p>' in profile.text
    claims_block = profile.text.split('<pre id="claims">')[1].split("</pre>")[0]
    claims = json.loads(html.unescape(claims_block))
    assert claims["email"] == "bob@example.com" and claims["iss"] == f"{live_server}/"
    assert "Welcome back" in visit(example, "/").text  # templates/home.html, signed in

    logout_url = visit(example, "/logout").headers["location"]
    assert query_of(logout_url) == {"returnTo": f"{EXAMPLE_ORIGIN}/", "client_id": "web-app"}
    assert user_agent.get(logout_url).headers["location"] == f"{EXAMPLE_ORIGIN}/"
    assert visit(example, "/profile").headers["location"] == "/login"
    next_authorize_url = visit(example, "/login").headers["location"]
    assert "/u/login" in user_agent.get(next_authorize_url).headers["location"]


def test_wrong_password_stays_on_the_tenant_and_signs_nobody_in(example: FlaskClient, user_agent: httpx.Client) -> None:
    authorize_url = visit(example, "/login").headers["location"]
    login_url = user_agent.get(authorize_url).headers["location"]
    answer = user_agent.post(f"{login_url.split('?')[0]}", data={
        "state": query_of(login_url)["state"], "username": "bob@example.com", "password": "wrong"})
    assert answer.status_code in (200, 400, 401, 403) and 'name="password"' in answer.text
    assert visit(example, "/profile").headers["location"] == "/login"
