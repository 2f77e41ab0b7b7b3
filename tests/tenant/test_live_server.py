"""The tenant served by uvicorn, driven by Auth0's own SDK and authlib's client, across workers and restarts."""

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
import pytest
from auth0.authentication import Database, GetToken
from auth0.authentication.exceptions import Auth0Error
from auth0.authentication.token_verifier import AsymmetricSignatureVerifier, TokenVerifier
from authlib.integrations.starlette_client import OAuth
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.conftest import DATABASES, ROOT, claims_of, database_of_kind, free_port, header_of, start_server, stop_server
from tests.tenant.conftest import API, accept_consent, past_consent, pkce_pair, query_of

CONNECTION = "Username-Password-Authentication"
EXAMPLE_ORIGIN = "http://localhost:9001"


class Server:
    """A running site: its base URL, tenant domain and data folder."""

    def __init__(self, data_dir, workers: int, database_url: str | None) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.env = {"DATABASE_URL": database_url} if database_url else {}
        self.process = start_server(data_dir, self.port, workers=workers, extra_env=self.env)
        self.base = f"http://127.0.0.1:{self.port}"
        self.domain = f"127.0.0.1:{self.port}"
        self.issuer = f"{self.base}/"

    def stop(self) -> None:
        """Stop it."""
        stop_server(self.process)


@pytest.fixture(scope="module", params=DATABASES)
def server(request, tmp_path_factory):
    """The site with two uvicorn workers sharing one data folder (on SQLite), then one database (PostgreSQL)."""
    with database_of_kind(request, request.param) as database_url:
        running = Server(tmp_path_factory.mktemp("two-workers"), workers=2, database_url=database_url)
        yield running
        running.stop()


def sdk_token(server: Server) -> GetToken:
    """Auth0's SDK client for the web app, over plain http."""
    return GetToken(server.domain, "web-app", client_secret="web-app-secret", protocol="http")


def test_auth0_sdk_password_and_password_realm_login(server):
    for realm, grant_type in ((None, "password"), (CONNECTION, "http://auth0.com/oauth/grant-type/password-realm")):
        token = sdk_token(server).login("alice@example.com", "alice-demo-1", realm=realm, audience=API,
                                        scope="openid profile email read:messages", grant_type=grant_type)
        assert claims_of(token["access_token"])["permissions"] == ["read:messages"]
        assert claims_of(token["id_token"])["email"] == "alice@example.com"


def test_auth0_sdk_reports_wrong_password_as_auth0_does(server):
    with pytest.raises(Auth0Error) as raised:
        sdk_token(server).login("bob@example.com", "wrong", realm=CONNECTION, audience=API)
    assert raised.value.status_code == 403
    assert raised.value.error_code == "invalid_grant"
    assert raised.value.message == "Wrong email or password."


def test_auth0_sdk_client_credentials(server):
    client = GetToken(server.domain, "m2m", client_secret="m2m-secret", protocol="http")
    token = client.client_credentials(audience=API)
    assert claims_of(token["access_token"])["sub"] == "m2m@clients"


def test_auth0_sdk_signup_then_login(server):
    created = Database(server.domain, "web-app", protocol="http").signup(
        email="gina@example.com", password="Gina-pass-1", connection=CONNECTION)
    assert created["email"] == "gina@example.com"
    token = sdk_token(server).login("gina@example.com", "Gina-pass-1", realm=CONNECTION, audience=API)
    assert claims_of(token["access_token"])["permissions"] == []


def test_auth0_sdk_token_verifier_accepts_the_id_token(server):
    token = sdk_token(server).login("alice@example.com", "alice-demo-1", realm=CONNECTION, scope="openid profile",
                                    audience=API)
    verifier = TokenVerifier(
        signature_verifier=AsymmetricSignatureVerifier(f"{server.issuer}.well-known/jwks.json"),
        issuer=server.issuer, audience="web-app")
    assert verifier.verify(token["id_token"])["sub"].startswith("auth0|")
    head, payload, _ = token["id_token"].split(".")
    foreign_signature = token["access_token"].split(".")[2]
    with pytest.raises(Exception, match="signature"):
        verifier.verify(f"{head}.{payload}.{foreign_signature}")


def example_login_app(server: Server) -> Starlette:
    """A whole web login with authlib's Starlette client, as the tutorials teach it."""
    oauth = OAuth()
    oauth.register("tenant", client_id="web-app", client_secret="web-app-secret",
                   server_metadata_url=f"{server.issuer}.well-known/openid-configuration",
                   client_kwargs={"scope": "openid profile email", "code_challenge_method": "S256"})

    async def login(request: Request):
        return await oauth.tenant.authorize_redirect(request, f"{EXAMPLE_ORIGIN}/auth/callback", audience=API)

    async def callback(request: Request):
        token = await oauth.tenant.authorize_access_token(request)
        return JSONResponse({"user": token["userinfo"], "access": claims_of(token["access_token"])})

    return Starlette(routes=[Route("/auth/login", login), Route("/auth/callback", callback)],
                     middleware=[Middleware(SessionMiddleware, secret_key="test-only")])


def test_authlib_client_code_and_pkce_flow_through_the_login_form(server):
    app = TestClient(example_login_app(server), base_url=EXAMPLE_ORIGIN, follow_redirects=False)
    browser = httpx.Client(follow_redirects=False)
    authorize_url = app.get("/auth/login").headers["location"]
    assert "code_challenge=" in authorize_url and "nonce=" in authorize_url
    login_url = browser.get(authorize_url).headers["location"]
    login_page = browser.get(login_url)
    assert 'name="username"' in login_page.text
    answer = browser.post(f"{server.issuer}u/login", data={
        "state": query_of(login_url)["state"], "username": "alice@example.com", "password": "alice-demo-1"})
    callback_url = urlsplit(accept_consent(browser, answer.headers["location"]))
    assert f"{callback_url.scheme}://{callback_url.netloc}" == EXAMPLE_ORIGIN
    result = app.get(f"{callback_url.path}?{callback_url.query}")
    assert result.status_code == 200, result.text
    assert result.json()["user"]["email"] == "alice@example.com"
    assert result.json()["access"]["aud"][0] == API


def one_code_flow(server: Server, email: str, password: str) -> int:
    """A code + PKCE flow where every request opens a new connection (so workers take turns)."""
    verifier, challenge = pkce_pair()
    params = {"response_type": "code", "client_id": "swagger-ui", "audience": API, "scope": "openid",
              "redirect_uri": f"{server.base}/docs/oauth2-redirect", "state": "s", "code_challenge": challenge,
              "code_challenge_method": "S256"}
    with httpx.Client(headers={"Connection": "close"}, follow_redirects=False) as browser:
        login_url = browser.get(f"{server.issuer}authorize", params=params).headers["location"]
        response = browser.post(f"{server.issuer}u/login",
                                data={"state": query_of(login_url)["state"], "username": email, "password": password})
        code = query_of(past_consent(browser, response.headers["location"]))["code"]
        token = browser.post(f"{server.issuer}oauth/token", data={
            "grant_type": "authorization_code", "code": code, "client_id": "swagger-ui", "code_verifier": verifier,
            "redirect_uri": params["redirect_uri"]})
    return token.status_code


def test_codes_and_sessions_work_across_two_workers(server):
    statuses = [one_code_flow(server, "admin@example.com", "admin-demo-1") for _ in range(12)]
    assert statuses == [200] * 12


def test_concurrent_signups_of_one_email_create_exactly_one_user(server):
    def attempt(_: int) -> int:
        return httpx.post(f"{server.issuer}dbconnections/signup", headers={"Connection": "close"}, json={
            "client_id": "web-app", "email": "race@example.com", "password": "Race-pass-1",
            "connection": CONNECTION}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(attempt, range(8)))
    assert sorted(statuses) == [200] + [400] * 7


def test_key_rotation_publishes_the_new_key_and_keeps_the_old(server):
    before = sdk_token(server).login("alice@example.com", "alice-demo-1", realm=CONNECTION, audience=API)
    old_kid = header_of(before["access_token"])["kid"]
    subprocess.run([sys.executable, "-m", "tenant", "rotate-key", "--data-dir", str(server.data_dir)], cwd=ROOT,
                   check=True, capture_output=True, env={**os.environ, **server.env})
    deadline = time.monotonic() + 20
    new_kid = old_kid
    while new_kid == old_kid and time.monotonic() < deadline:
        time.sleep(0.5)
        token = sdk_token(server).login("alice@example.com", "alice-demo-1", realm=CONNECTION, audience=API)
        new_kid = header_of(token["access_token"])["kid"]
    assert new_kid != old_kid
    published = {key["kid"] for key in httpx.get(f"{server.issuer}.well-known/jwks.json").json()["keys"]}
    assert {old_kid, new_kid} <= published


def test_state_survives_a_restart(tmp_path, database_url):
    first = Server(tmp_path, workers=1, database_url=database_url)
    try:
        token = sdk_token(first).login("alice@example.com", "alice-demo-1", realm=CONNECTION,
                                       scope="openid offline_access", audience=API)
        Database(first.domain, "web-app", protocol="http").signup(
            email="hana@example.com", password="Hana-pass-1", connection=CONNECTION)
        kids = httpx.get(f"{first.issuer}.well-known/jwks.json").json()
    finally:
        first.stop()
    second = Server(tmp_path, workers=1, database_url=database_url)
    try:
        assert httpx.get(f"{second.issuer}.well-known/jwks.json").json() == kids
        refreshed = sdk_token(second).refresh_token(token["refresh_token"])
        assert "access_token" in refreshed
        assert sdk_token(second).login("hana@example.com", "Hana-pass-1", realm=CONNECTION)["access_token"]
    finally:
        second.stop()
