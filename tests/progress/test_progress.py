"""The progress strip ticks what a visitor really did on this site, and keeps it in their session."""

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from main import create_app
from middleware.sessions import SESSION_COOKIE
from progress.milestones import MILESTONES, SESSION_KEY, reached_keys
from tests.api.tokens import b64json
from tests.conftest import builtin_settings
from tokens.unverified_jwt import decode_unverified

API = "https://playground/api"
FROM_PAGE = {"Sec-Fetch-Site": "same-origin"}  # what a browser sends with a fetch from one of the site's pages


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """One site for these tests; each test gets its own visitor."""
    return create_app(builtin_settings(tmp_path_factory.mktemp("progress-site")))


@pytest.fixture
def visitor(app: FastAPI) -> Iterator[TestClient]:
    """A visitor with an empty cookie jar who follows no redirect on their own."""
    with TestClient(app, follow_redirects=False) as client:
        yield client


def done(visitor: TestClient) -> set[str]:
    """The milestones `GET /progress` says are done."""
    body = visitor.get("/progress").json()
    assert body["total"] == len(MILESTONES) and body["done"] == sum(m["done"] for m in body["milestones"])
    return {milestone["key"] for milestone in body["milestones"] if milestone["done"]}


def password_token(visitor: TestClient, email: str, password: str) -> str:
    """An access token through the site's `POST /auth/token`, as the Try-it panel asks for it."""
    answer = visitor.post("/auth/token", json={"email": email, "password": password}, headers=FROM_PAGE)
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


def call_api(visitor: TestClient, path: str, token: str) -> int:
    """Call an /api endpoint from a page, with a bearer token; return the status."""
    return visitor.get(path, headers={**FROM_PAGE, "Authorization": f"Bearer {token}"}).status_code


def query_of(url: str, part: str = "query") -> dict[str, str]:
    """The query (or fragment) parameters of a URL."""
    return {name: values[0] for name, values in parse_qs(getattr(urlsplit(url), part)).items()}


def sign_in_at_tenant(visitor: TestClient, authorize_url: str, email: str, password: str) -> str:
    """Follow the tenant's authorize URL and fill its login form; return where it sends the browser."""
    login_url = visitor.get(authorize_url).headers["location"]
    answer = visitor.post("/u/login", data={"state": query_of(login_url)["state"], "username": email,
                                                   "password": password})
    assert answer.status_code in (302, 303), answer.text
    return answer.headers["location"]


def test_a_new_visitor_sees_every_milestone_not_yet_done(visitor: TestClient) -> None:
    page = visitor.get("/tutorials/protect-an-api").text
    assert "0 of 10 done" in page
    for milestone in MILESTONES:
        assert f'data-milestone="{milestone.key}"' in page
        assert f'href="/tutorials/{milestone.step}"' in page
    assert done(visitor) == set()


def test_password_token_and_scoped_call_are_ticked(visitor: TestClient) -> None:
    token = password_token(visitor, "alice@example.com", "alice-demo-1")
    assert call_api(visitor, "/api/secure", token) == 200
    assert call_api(visitor, "/api/scoped", token) == 200
    assert call_api(visitor, "/api/claims", token) == 200
    assert done(visitor) == {"password-token", "secure", "scoped", "claims"}
    page = visitor.get("/tutorials/protect-an-api").text
    assert re.search(r'data-milestone="scoped" class="done"', page)
    assert "4 of 10 done" in page


def test_a_refused_call_ticks_nothing(visitor: TestClient) -> None:
    token = password_token(visitor, "bob@example.com", "bob-demo-1")
    assert call_api(visitor, "/api/scoped", token) == 403
    assert call_api(visitor, "/api/admin", token) == 403
    assert call_api(visitor, "/api/secure", "not-a-token") == 401
    assert done(visitor) == {"password-token"}


def test_admin_permission_is_ticked(visitor: TestClient) -> None:
    token = password_token(visitor, "admin@example.com", "admin-demo-1")
    assert call_api(visitor, "/api/admin", token) == 200
    assert "admin" in done(visitor)


def test_machine_token_accepted_by_the_api_is_ticked(visitor: TestClient) -> None:
    answer = visitor.post("/oauth/token", headers=FROM_PAGE, json={
        "grant_type": "client_credentials", "client_id": "m2m", "client_secret": "m2m-secret", "audience": API})
    token = answer.json()["access_token"]
    assert call_api(visitor, "/api/scoped", token) == 200
    assert {"m2m", "scoped"} <= done(visitor)


def test_swagger_sign_in_is_ticked_by_the_first_call_with_its_token(visitor: TestClient) -> None:
    authorize_url = "/authorize?" + "&".join(f"{name}={value}" for name, value in {
        "response_type": "token", "client_id": "swagger-ui", "audience": API, "scope": "read:messages",
        "redirect_uri": "http://testserver/docs/oauth2-redirect", "state": "s1", "nonce": "n1"}.items())
    back = sign_in_at_tenant(visitor, authorize_url, "alice@example.com", "alice-demo-1")
    token = query_of(back, "fragment")["access_token"]
    assert decode_unverified(token)[1]["azp"] == "swagger-ui"
    assert "swagger" not in done(visitor)
    assert call_api(visitor, "/api/secure", token) == 200
    assert "swagger" in done(visitor)


def test_a_forged_token_sent_to_the_public_endpoint_ticks_nothing(visitor: TestClient) -> None:
    claims = {"sub": "forged@clients", "azp": "swagger-ui", "aud": API}
    forged = ".".join(b64json(part) for part in ({"alg": "none"}, claims)) + ".c2ln"
    assert call_api(visitor, "/api/public", forged) == 200
    assert done(visitor) == set()


def test_web_login_and_logout_are_ticked_and_survive_the_cleared_session(visitor: TestClient) -> None:
    authorize_url = visitor.get("/auth/login").headers["location"]
    callback_url = sign_in_at_tenant(visitor, authorize_url, "alice@example.com", "alice-demo-1")
    assert visitor.get(callback_url).headers["location"] == "/profile"
    assert done(visitor) == {"signed-in"}
    assert visitor.get("/auth/logout").status_code == 303
    assert done(visitor) == {"signed-in", "logged-out"}
    assert visitor.get("/profile").headers["location"].startswith("/auth/login")


def test_an_api_client_without_a_session_gets_no_cookie(visitor: TestClient) -> None:
    token = password_token(TestClient(visitor.app), "alice@example.com", "alice-demo-1")
    answer = visitor.get("/api/scoped", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    assert SESSION_COOKIE not in answer.cookies and "set-cookie" not in answer.headers
    assert done(visitor) == set()


def test_unreadable_values_count_as_nothing() -> None:
    assert reached_keys({SESSION_KEY: "not a list"}) == set()



def test_a_browser_gets_a_page_and_the_strip_gets_json(site) -> None:
    page = site.get("/progress", headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")
    assert "<title>Your progress" in page.text and '<html lang="en">' in page.text
    assert site.get("/progress", headers={"Accept": "application/json"}).json()["total"] >= 1
