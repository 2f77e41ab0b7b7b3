"""A workshop room behind one address: following step 5 ("change the password to see the 401") never locks the
shared demo account for each other, while a brute force from that address is still stopped."""

import uuid
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from main import create_app
from tenant.store.users import MAX_FAILED_LOGINS_PER_ACCOUNT
from tests.conftest import builtin_settings
from tests.tenant.conftest import query_of

ROOM_ADDRESS = ("203.0.113.50", 40000)
ATTENDEES = 100
WRONG_TRIES_EACH = 3
ALICE = {"email": "alice@example.com", "password": "alice-demo-1"}


@pytest.fixture
def room(tmp_path) -> Iterator[TestClient]:
    """The site as deployed, everyone's requests arriving from the room's one address."""
    app = create_app(builtin_settings(tmp_path))
    with TestClient(app, client=ROOM_ADDRESS, follow_redirects=False) as client:
        yield client


class Attendees:
    """Many browsers through one test client: each keeps its own cookies."""

    def __init__(self, client: TestClient, count: int) -> None:
        self.client = client
        self.jars: list[dict[str, str]] = [{} for _ in range(count)]

    def request(self, attendee: int, method: str, url: str, **kwargs: object) -> httpx.Response:
        """One request from one attendee's browser."""
        self.client.cookies = httpx.Cookies(self.jars[attendee])
        response = self.client.request(method, url, **kwargs)
        self.jars[attendee] = dict(self.client.cookies)
        return response


def test_a_room_following_step_5_at_auth_token_never_locks_alice(room):
    attendees = Attendees(room, ATTENDEES)
    for n in range(ATTENDEES):  # each opens step 5, whose Try-it panel calls /auth/token
        attendees.request(n, "GET", "/tutorials/signup-and-token", headers={"accept": "text/html"})
    wrong = {**ALICE, "password": "alice-demo-2"}
    for _ in range(WRONG_TRIES_EACH):
        assert {attendees.request(n, "POST", "/auth/token", json=wrong).status_code for n in range(ATTENDEES)} == {401}
    right = [attendees.request(n, "POST", "/auth/token", json=ALICE).status_code for n in range(ATTENDEES)]
    assert right == [200] * ATTENDEES


def login_form_state(attendees: Attendees, attendee: int) -> str:
    """Start a web login in one attendee's browser; the state of its login form."""
    response = attendees.request(attendee, "GET", "/authorize", params={
        "client_id": "web-app", "response_type": "code", "redirect_uri": "http://testserver/auth/callback",
        "scope": "openid", "state": "s"})
    return query_of(response.headers["location"])["state"]


def test_a_room_at_the_login_form_never_locks_alice(room):
    attendees = Attendees(room, ATTENDEES)
    states = [login_form_state(attendees, n) for n in range(ATTENDEES)]
    for _ in range(WRONG_TRIES_EACH):
        answers = {attendees.request(n, "POST", "/u/login", data={
            "state": states[n], "username": ALICE["email"], "password": "alice-demo-2"}).status_code
            for n in range(ATTENDEES)}
        assert answers == {401}
    right = [attendees.request(n, "POST", "/u/login", data={
        "state": states[n], "username": ALICE["email"], "password": ALICE["password"]}).status_code
        for n in range(ATTENDEES)]
    assert right == [302] * ATTENDEES


def test_one_browser_guessing_is_stopped_after_ten(room):
    attendees = Attendees(room, 1)
    attendees.request(0, "GET", "/", headers={"accept": "text/html"})
    wrong = {**ALICE, "password": "guess-0000"}
    answers = [attendees.request(0, "POST", "/auth/token", json=wrong).status_code for _ in range(11)]
    assert answers == [401] * 10 + [429]
    blocked = attendees.request(0, "POST", "/auth/token", json=ALICE)
    assert blocked.status_code == 429 and blocked.json()["code"] == "too_many_attempts"


def test_a_client_without_cookies_is_counted_by_its_address(room):
    wrong = {**ALICE, "password": "guess-0000"}
    answers = []
    for _ in range(11):
        room.cookies.clear()  # curl, or an attacker dropping the browser cookie it is handed each time
        answers.append(room.post("/auth/token", json=wrong).status_code)
    assert answers == [401] * 10 + [429]


def test_forged_browser_ids_are_bounded_by_the_address_ceiling(room, monkeypatch):
    monkeypatch.setattr("tenant.store.users.MAX_FAILED_LOGINS_PER_ADDRESS", 30)
    wrong = {**ALICE, "password": "guess-0000"}
    answers = []
    for number in range(31):
        room.cookies.clear()
        room.cookies.set("playground_browser", f"forged-browser-id-{number:04d}")
        answers.append(room.post("/auth/token", json=wrong).status_code)
    assert answers == [401] * 30 + [429]


def test_fresh_browser_ids_or_many_accounts_hit_the_address_ceiling(room, monkeypatch):
    monkeypatch.setattr("tenant.store.users.MAX_FAILED_LOGINS_PER_ADDRESS", 30)
    attendees = Attendees(room, 31)
    for n in range(31):
        attendees.request(n, "GET", "/", headers={"accept": "text/html"})
    answers = [attendees.request(n, "POST", "/auth/token",
                                 json={"email": f"user-{uuid.uuid4().hex[:8]}@example.com", "password": "guess-0000"}
                                 ).status_code for n in range(31)]
    assert answers == [401] * 30 + [429]
    # The ceiling holds for alice too, whatever browser asks, until the window is over.
    fresh = Attendees(room, 1)
    assert fresh.request(0, "POST", "/auth/token", json=ALICE).status_code == 429


def test_forged_browser_ids_meet_the_accounts_ceiling_long_before_the_addresses(room):
    carol = {"email": "carol@example.com", "password": "Carol-pass-1"}
    assert room.post("/auth/signup", json=carol).status_code == 201
    answers = []
    for number in range(MAX_FAILED_LOGINS_PER_ACCOUNT + 1):
        room.cookies.clear()
        room.cookies.set("playground_browser", f"forged-browser-id-{number:04d}")
        answers.append(room.post("/auth/token", json={**carol, "password": "guess-0000"}).status_code)
    assert answers == [401] * MAX_FAILED_LOGINS_PER_ACCOUNT + [429]
    room.cookies.set("playground_browser", "forged-browser-id-9999")
    right = room.post("/auth/token", json=carol)
    assert right.status_code == 429 and right.json()["code"] == "too_many_attempts"
    assert room.post("/auth/token", json=ALICE).status_code == 200, "the room's other accounts still sign in"
