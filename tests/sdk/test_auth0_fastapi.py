"""auth0-fastapi (on auth0-server-python), unmodified, when a login fails: an Action's deny, a forged callback.

The whole login, get_user, access token and logout run in tests/test_tutorial/test_auth0_sdks.py, on step 15's app.
"""

import httpx
from fastapi.testclient import TestClient

from tests.tenant.conftest import past_consent, query_of
from tests.test_tutorial.conftest import sign_in_at_tenant

DENIED_BY_ACTION = "Only staff may log in here"


def log_in(sdk_web_app: TestClient, sdk_tenant: httpx.Client, email: str, password: str, **query: str) -> str:
    """Start at the app's /auth/login, fill the tenant's login page, pass its consent; return the callback URL."""
    authorize_url = sdk_web_app.get("/auth/login", params=query).headers["location"]
    return past_consent(sdk_tenant, sign_in_at_tenant(sdk_tenant, authorize_url, email, password))


def test_an_actions_deny_reaches_the_app_as_access_denied(sdk_web_app: TestClient, sdk_tenant: httpx.Client) -> None:
    callback = log_in(sdk_web_app, sdk_tenant, "alice@example.com", "alice-demo-1",
                      scope="openid profile scenario:deny")
    assert query_of(callback)["error"] == "access_denied"
    answer = sdk_web_app.get(callback)
    assert answer.status_code == 400 and answer.json()["detail"] == DENIED_BY_ACTION
    assert sdk_web_app.get("/profile").status_code == 401


def test_a_forged_callback_makes_no_session(sdk_web_app: TestClient) -> None:
    sdk_web_app.get("/auth/login")
    assert sdk_web_app.get("/auth/callback?code=stolen&state=guessed").status_code == 400
    assert sdk_web_app.get("/profile").status_code == 401
