"""Auth0's own SDKs, unmodified, against the built-in tenant served over https by `python main.py --https`."""

import secrets
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.api.tokens import API_AUDIENCE, sign_in_on_login_page
from tests.https_site import SDK_APP_ORIGIN
from tests.tenant.conftest import past_consent
from tests.test_tutorial.conftest import sdk_web_app  # noqa: F401  (step 15's web app, also tested here)

CALLBACK = f"{SDK_APP_ORIGIN}/auth/callback"


def authorization_code(sdk_tenant: httpx.Client, user: str, scope: str = "openid read:messages", **extra: str) -> str:
    """A code for the web app, through the tenant's login page and consent, as a browser gets it at the callback."""
    state = secrets.token_urlsafe(8)
    query = {"response_type": "code", "client_id": "web-app", "redirect_uri": CALLBACK, "scope": scope,
             "audience": API_AUDIENCE, "state": state, **extra}
    callback = past_consent(sdk_tenant, sign_in_on_login_page(sdk_tenant, query, user))
    params = {name: values[0] for name, values in parse_qs(urlsplit(callback).query).items()}
    assert params["state"] == state
    return params["code"]


def code_flow_token(sdk_tenant: httpx.Client, user: str, scope: str = "openid read:messages") -> str:
    """An access token for the API through the web app's authorization code flow, login page and consent included."""
    answer = sdk_tenant.post("/oauth/token", data={
        "grant_type": "authorization_code", "client_id": "web-app", "client_secret": "web-app-secret",
        "code": authorization_code(sdk_tenant, user, scope), "redirect_uri": CALLBACK})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]
