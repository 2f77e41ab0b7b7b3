"""Step 15's examples on Auth0's SDKs, against the tenant over https: the web login calls the API with its token."""

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.https_site import SDK_APP_ORIGIN, HttpsSite
from tests.tenant.conftest import past_consent
from tests.test_tutorial.conftest import load_example, query_of, sign_in_at_tenant, user_token


@pytest.fixture
def api(trust_sdk_site: HttpsSite, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """tutorials.auth0_sdks.api in-process, trusting the https tenant."""
    module = load_example("tutorials.auth0_sdks.api", {"AUTH0_DOMAIN": trust_sdk_site.domain}, monkeypatch)
    with TestClient(module.app) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for an access token."""
    return {"Authorization": f"Bearer {token}"}


def test_log_in_see_the_profile_call_the_api_and_log_out(sdk_web_app: TestClient, sdk_tenant: httpx.Client,
                                                         sdk_site: HttpsSite) -> None:
    assert "Not signed in" in sdk_web_app.get("/").text
    assert sdk_web_app.get("/profile").status_code == 401
    authorize_url = sdk_web_app.get("/auth/login").headers["location"]
    assert authorize_url.startswith(f"{sdk_site.origin}/authorize?")
    sent = query_of(authorize_url)
    assert sent["redirect_uri"] == f"{SDK_APP_ORIGIN}/auth/callback" and sent["audience"] == "https://playground/api"
    assert sent["code_challenge_method"] == "S256" and "offline_access" in sent["scope"].split()

    callback = past_consent(sdk_tenant, sign_in_at_tenant(sdk_tenant, authorize_url, "alice@example.com",
                                                          "alice-demo-1"))
    assert callback.startswith(f"{SDK_APP_ORIGIN}/auth/callback?code=")
    assert sdk_web_app.get(callback).headers["location"] == f"{SDK_APP_ORIGIN}/"
    assert "Signed in" in sdk_web_app.get("/").text
    user = sdk_web_app.get("/profile").json()
    assert user["email"] == "alice@example.com" and user["sub"].startswith("auth0|")
    called = sdk_web_app.get("/messages").json()
    assert called == {"status": 200, "api_said": {"message": f"Hello {user['sub']}: you may read messages.",
                                                  "messages": ["Welcome to the API."]}}

    logout_url = sdk_web_app.get("/auth/logout").headers["location"]
    assert logout_url.startswith(f"{sdk_site.origin}/v2/logout?")
    assert query_of(logout_url) == {"client_id": "web-app", "returnTo": f"{SDK_APP_ORIGIN}/"}
    ended = sdk_tenant.get(logout_url)
    assert ended.status_code == 302 and ended.headers["location"] == f"{SDK_APP_ORIGIN}/"
    assert sdk_web_app.get("/profile").status_code == 401
    # The tenant's session ended too: logging in again asks for the password.
    again = sdk_tenant.get(sdk_web_app.get("/auth/login").headers["location"]).headers["location"]
    assert "/u/login" in again


def test_the_api_answers_as_the_step_says(api: TestClient, sdk_site: HttpsSite) -> None:
    assert api.get("/api/public").status_code == 200
    no_token = api.get("/api/secure")
    assert no_token.status_code == 400 and no_token.json()["detail"]["error"] == "invalid_request"
    alice = user_token(sdk_site.origin, "alice@example.com")
    assert api.get("/api/secure", headers=bearer(alice)).json()["permissions"] == ["read:messages"]
    assert api.get("/api/messages", headers=bearer(alice)).json()["messages"] == ["Welcome to the API."]
    bob = user_token(sdk_site.origin, "bob@example.com")
    assert api.get("/api/secure", headers=bearer(bob)).status_code == 200
    refused = api.get("/api/messages", headers=bearer(bob))
    assert refused.status_code == 403 and refused.json()["detail"]["error"] == "insufficient_scope"
    header, claims, signature = alice.split(".")
    tampered = api.get("/api/secure", headers=bearer(f"{header}.{claims}.{signature[:-4]}AAAA"))
    assert tampered.status_code == 401 and "invalid_token" in tampered.headers["www-authenticate"]
