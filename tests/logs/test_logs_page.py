"""The Logs page shows a visitor their own events only, newest first, in plain words."""

import html
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from main import create_app
from tests.conftest import builtin_settings
from tests.room.conftest import navigate, password_token, sign_in

ALICE = ("alice@example.com", "alice-demo-1")
BOB = ("bob@example.com", "bob-demo-1")


@pytest.fixture
def app(tmp_path, database_url: str | None) -> Iterator[FastAPI]:
    """A fresh site on its built-in tenant, on SQLite and on PostgreSQL."""
    app = create_app(builtin_settings(tmp_path, database_url=database_url))
    with TestClient(app):
        yield app


def browser(app: FastAPI) -> TestClient:
    """A browser of its own (its cookies, the site's browser id from its first page), behind the room's address."""
    client = TestClient(app, follow_redirects=False)
    assert navigate(client, "/", accept="text/html").status_code == 200
    return client


def logs_of(client: TestClient) -> str:
    """The Logs page's text, entities decoded."""
    page = navigate(client, "/logs")
    assert page.status_code == 200
    return html.unescape(page.text)


def test_each_visitor_sees_only_their_own_events_newest_first(app):
    dana, erin = browser(app), browser(app)
    assert sign_in(dana, "alice@example.com", "not-her-password").status_code == 401
    assert sign_in(dana, *ALICE).status_code == 303
    assert sign_in(erin, "bob@example.com", "not-his-password").status_code == 401
    assert sign_in(erin, *BOB).status_code == 303
    danas, erins = logs_of(dana), logs_of(erin)
    assert "Wrong password for alice@example.com from this browser." in danas
    assert "alice@example.com logged in to" in danas
    assert danas.index("alice@example.com logged in") < danas.index("Wrong password for alice@example.com")
    assert "bob@example.com" not in danas.lower()
    assert "Wrong password for bob@example.com from this browser." in erins
    assert "alice@example.com" not in erins.lower()


def test_a_shared_demo_account_shows_each_browser_only_its_own_attempts(app):
    dana, erin = browser(app), browser(app)
    assert sign_in(dana, "alice@example.com", "dana-typed-this-wrong").status_code == 401
    assert sign_in(dana, *ALICE).status_code == 303
    assert sign_in(erin, *ALICE).status_code == 303
    erins = logs_of(erin)
    assert "Wrong password" not in erins
    assert erins.count("logged in to") == 1
    assert logs_of(dana).count("logged in to") == 1


def test_a_private_account_shows_its_events_from_anywhere(app):
    fay, elsewhere = browser(app), browser(app)
    fay_account = ("fay@example.com", "Fay-own-pass-9")
    assert fay.post("/auth/signup", json=dict(zip(("email", "password"), fay_account))).status_code == 201
    assert elsewhere.post("/dbconnections/change_password", json={
        "client_id": "web-app", "email": "fay@example.com",
        "connection": "Username-Password-Authentication"}).status_code == 200
    assert sign_in(fay, *fay_account).status_code == 303
    fays = logs_of(fay)
    assert "fay@example.com signed up from this browser." in fays
    assert "A password reset was asked for fay@example.com from" in fays
    assert "from this browser" not in fays.split("A password reset was asked for")[1].split(".")[0]
    assert "fay@example.com" not in logs_of(elsewhere)


def test_a_signed_out_visitor_sees_this_browsers_events_and_is_asked_to_log_in(app):
    dana, erin = browser(app), browser(app)
    assert password_token(dana, "nobody@example.com", "whatever-1A").status_code == 401
    danas = logs_of(dana)
    assert "No account is called nobody@example.com: a login from this browser named an email" in danas
    assert "Log in</a> to see your account's events too" in danas
    assert "Nothing recorded for you yet" in logs_of(erin)


def test_the_page_is_not_cached(app):
    assert navigate(browser(app), "/logs").headers["cache-control"] == "no-store"


def test_error_pages_and_the_inspector_link_to_the_logs(app):
    visitor = browser(app)
    not_found = navigate(visitor, "/no-such-page", accept="text/html")
    failed_login = navigate(visitor, "/auth/callback?state=forged&error=access_denied", accept="text/html")
    inspector = navigate(visitor, "/inspector", accept="text/html")
    for page in (not_found, failed_login, inspector):
        assert 'href="/logs"' in page.text
