"""Failed logins from any address and any browser id are counted (never a 500), so guessing stops."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from main import create_app
from tests.conftest import builtin_settings
from tests.tenant.conftest import WEB_CALLBACK, query_of

IPV6_CLIENT = ("2001:db8:85a3:1234:5678:8a2e:370:7334", 50000)
LONGEST_BROWSER_ID = "b" * 64
AUTHORIZE = {"client_id": "web-app", "response_type": "code", "redirect_uri": WEB_CALLBACK, "scope": "openid",
             "state": "s"}


@pytest.fixture
def ipv6_browser(tmp_path, database_url) -> Iterator[TestClient]:
    """The site, reached from an IPv6 address."""
    app = create_app(builtin_settings(tmp_path, database_url=database_url))
    with TestClient(app, client=IPV6_CLIENT, follow_redirects=False) as client:
        yield client


def login_state(client: TestClient) -> str:
    """Start a web login; the state of its login form."""
    return query_of(client.get("/authorize", params=AUTHORIZE).headers["location"])["state"]


def test_guessing_from_ipv6_with_the_longest_browser_id_is_stopped(ipv6_browser) -> None:
    ipv6_browser.cookies.set("auth0_browser", LONGEST_BROWSER_ID, domain="testserver.local", path="/")
    state = login_state(ipv6_browser)
    assert ipv6_browser.cookies.get("auth0_browser") == LONGEST_BROWSER_ID
    answers = [ipv6_browser.post("/u/login", data={
        "state": state, "username": "alice@example.com", "password": f"guess-{n:04}"}).status_code for n in range(16)]
    assert answers == [401] * 10 + [429] * 6


@pytest.mark.parametrize("cookie", ["short", "c" * 65, "has space and ; semicolon"])
def test_a_browser_id_out_of_shape_is_replaced(ipv6_browser, cookie: str) -> None:
    ipv6_browser.cookies.set("auth0_browser", cookie, domain="testserver.local", path="/")
    state = login_state(ipv6_browser)
    minted = ipv6_browser.cookies.get("auth0_browser")
    assert minted != cookie and 16 <= len(minted) <= 64
    wrong = ipv6_browser.post("/u/login", data={"state": state, "username": "alice@example.com",
                                                       "password": "guess-0000"})
    assert wrong.status_code == 401
