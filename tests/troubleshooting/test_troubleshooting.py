"""The troubleshooting page: one anchored entry per error, and every page that names an error links to its entry."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from errors.troubleshooting import ANCHORS, TROUBLES
from main import create_app
from tests.conftest import builtin_settings
from tests.login.conftest import auth0_site, provider  # noqa: F401 (fixtures)
from tests.login.test_login_failures import callback_after_login
from room.catalogue import FAILURES
from tests.room.conftest import ADMIN, ALICE, BOB, call_api, eventually, navigate, password_token, sign_in
from tests.tenant.conftest import code_params

# The errors a learner can meet here, each of which must have an entry.
REQUIRED = ("callback-url-mismatch", "invalid-grant", "login-required", "consent-required", "access-denied-by-an-action",
            "insufficient-scope", "insufficient-user-authentication", "mfa-required", "wrong-audience", "expired-token",
            "clock-skew", "third-party-cookies-blocked")


class Ids(HTMLParser):
    """Every id attribute of a page, and every link marked as a troubleshooting link."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.help_links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"])
        if tag == "a" and "data-troubleshooting" in found:
            self.help_links.append(found["href"] or "")


def parse(html: str) -> Ids:
    parser = Ids()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> TestClient:
    app = create_app(builtin_settings(tmp_path_factory.mktemp("troubleshooting")))
    with TestClient(app, follow_redirects=False) as client:
        yield client


@pytest.fixture(scope="module")
def anchors_on_page(site: TestClient) -> set[str]:
    page = site.get("/troubleshooting")
    assert page.status_code == 200
    return parse(page.text).ids


def assert_lands(href: str, anchors_on_page: set[str], anchor: str) -> None:
    """The link goes to /troubleshooting and to an entry that exists there."""
    parts = urlsplit(href)
    assert parts.path == "/troubleshooting" and parts.fragment == anchor
    assert anchor in anchors_on_page


def test_every_error_has_an_anchored_entry(anchors_on_page: set[str]) -> None:
    assert set(REQUIRED) <= ANCHORS <= anchors_on_page
    for trouble in TROUBLES:
        assert trouble.meaning and trouble.change and trouble.seen_as


def test_the_tenants_callback_mismatch_page_links_to_its_entry(site: TestClient, anchors_on_page: set[str]) -> None:
    page = site.get("/authorize", params=code_params(redirect_uri="https://attacker.example/cb"))
    assert page.status_code == 400 and "Callback URL mismatch" in page.text
    [link] = parse(page.text).help_links
    assert_lands(link, anchors_on_page, "callback-url-mismatch")


def test_the_room_refusal_links_to_insufficient_scope(site: TestClient, anchors_on_page: set[str]) -> None:
    alice = TestClient(site.app, follow_redirects=False)
    assert sign_in(alice, *ALICE).status_code == 303
    page = navigate(alice, "/room")
    assert page.status_code == 403
    [link] = parse(page.text).help_links
    assert_lands(link, anchors_on_page, "insufficient-scope")


@pytest.mark.parametrize(("error", "anchor"), [
    ("access_denied", "access-denied-by-an-action"), ("login_required", "login-required"),
    ("consent_required", "consent-required"), ("mfa_required", "mfa-required"),
])
def test_login_error_pages_link_to_their_entry(auth0_site, provider, anchors_on_page: set[str], error: str,
                                               anchor: str) -> None:
    page = callback_after_login(auth0_site, provider, error=error, error_description="from the tenant")
    [link] = parse(page.text).help_links
    assert_lands(link, anchors_on_page, anchor)


def test_the_login_error_page_for_a_spent_code_links_to_invalid_grant(auth0_site, provider,
                                                                      anchors_on_page: set[str]) -> None:
    provider.routes["/oauth/token"] = lambda request: httpx.Response(
        403, json={"error": "invalid_grant", "error_description": "Invalid authorization code"})
    [link] = parse(callback_after_login(auth0_site, provider).text).help_links
    assert_lands(link, anchors_on_page, "invalid-grant")


def test_the_state_mismatch_page_links_to_its_entry(auth0_site, anchors_on_page: set[str]) -> None:
    page = auth0_site.get("/auth/callback", params={"code": "x", "state": "not-ours"})
    [link] = parse(page.text).help_links
    assert_lands(link, anchors_on_page, "mismatching-state")


def test_the_panels_name_only_anchors_that_exist(site: TestClient) -> None:
    script = site.get("/static/explain.js").text
    named = set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', script.split("const TOKEN_ENDPOINT")[0]))
    assert named and named <= ANCHORS


def test_the_rooms_advice_links_only_to_entries_that_exist(anchors_on_page: set[str]) -> None:
    linked = {kind.troubleshooting for kind in FAILURES.values() if kind.troubleshooting}
    assert {"callback-url-mismatch", "expired-token", "insufficient-scope", "mismatching-state"} <= linked
    assert linked <= anchors_on_page


def test_the_room_links_a_failure_to_its_entry(site: TestClient, anchors_on_page: set[str]) -> None:
    bob = TestClient(site.app, follow_redirects=False)
    token = password_token(bob, *BOB).json()["data"]
    assert call_api(bob, "/api/scoped", token) == 403
    admin = TestClient(site.app, follow_redirects=False)
    assert sign_in(admin, *ADMIN).status_code == 303
    page = eventually(lambda: (found := navigate(admin, "/room")) and "insufficient-scope" in found.text and found)
    assert_lands(parse(page.text).help_links[0], anchors_on_page, "insufficient-scope")
