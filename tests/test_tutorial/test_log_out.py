"""The logout URLs and the revocation call of step 12, against the site's built-in tenant."""

from urllib.parse import parse_qs, urlsplit

import httpx

from tests.tenant.conftest import code_params, past_consent, pkce_pair, query_of
from tutorials.log_out.logout_url import tenant_logout_url
from tutorials.log_out.oidc_logout_url import oidc_logout_url
from tutorials.log_out.revoke_refresh_token import revoke_refresh_token


def test_logout_url_for_the_builtin_tenant() -> None:
    url = tenant_logout_url("http://localhost:8000", "web-app", "http://localhost:8000")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "http://localhost:8000/v2/logout"
    assert parse_qs(parts.query) == {"client_id": ["web-app"], "returnTo": ["http://localhost:8000"]}


def signed_in_browser(tenant_url: str, site: str) -> tuple[httpx.Client, str]:
    """A browser signed in to the tenant through Swagger UI's client, and the ID token it got."""
    browser = httpx.Client(follow_redirects=False)
    verifier, challenge = pkce_pair()
    params = code_params(code_challenge=challenge, code_challenge_method="S256",
                         redirect_uri=f"{site}/docs/oauth2-redirect")
    login = browser.get(f"{tenant_url}/authorize", params=params).headers["location"]
    answer = browser.post(f"{tenant_url}/u/login", data={"state": query_of(login)["state"],
                                                         "username": "alice@example.com", "password": "alice-demo-1"})
    callback = past_consent(browser, answer.headers["location"])
    token = httpx.post(f"{tenant_url}/oauth/token", data={
        "grant_type": "authorization_code", "client_id": "swagger-ui", "code": query_of(callback)["code"],
        "code_verifier": verifier, "redirect_uri": params["redirect_uri"]}).json()
    return browser, token["id_token"]


def test_oidc_logout_ends_the_session_and_returns_with_state(live_server: str) -> None:
    tenant_url = f"{live_server}"
    browser, id_token = signed_in_browser(tenant_url, live_server)
    answer = browser.get(oidc_logout_url(tenant_url, id_token, live_server, "after-logout"))
    assert answer.status_code == 302 and answer.headers["location"] == f"{live_server}?state=after-logout"
    verifier, challenge = pkce_pair()
    again = browser.get(f"{tenant_url}/authorize", params=code_params(
        code_challenge=challenge, code_challenge_method="S256", redirect_uri=f"{live_server}/docs/oauth2-redirect"))
    assert "/u/login" in again.headers["location"], "the tenant asks for the password again"


def test_a_revoked_refresh_token_no_longer_renews(live_server: str) -> None:
    tenant_url = f"{live_server}"
    client = {"client_id": "web-app", "client_secret": "web-app-secret"}
    tokens = httpx.post(f"{tenant_url}/oauth/token", data={
        "grant_type": "password", "username": "alice@example.com", "password": "alice-demo-1",
        "scope": "openid offline_access", **client}).json()
    revoke_refresh_token(tenant_url, client["client_id"], client["client_secret"], tokens["refresh_token"])
    renewal = httpx.post(f"{tenant_url}/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], **client})
    assert renewal.status_code == 403 and renewal.json()["error"] == "invalid_grant"
