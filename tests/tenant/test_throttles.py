"""Sign-ups and password resets are limited per address (and resets per email), counted for the end user's address
even when the site's /auth/signup is the one calling the tenant."""

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient

from main import create_app
from tenant.security.throttle import SlidingThrottle, Throttle
from tests.conftest import builtin_settings

CONNECTION = {"client_id": "web-app", "connection": "Username-Password-Authentication"}
ONE_ADDRESS, ANOTHER = ("203.0.113.60", 40000), ("203.0.113.61", 40000)


@pytest.fixture
def app(tmp_path, monkeypatch):
    """The site, with small limits so that the tests reach them quickly."""
    monkeypatch.setattr("tenant.endpoints.dbconnections.SIGNUPS_PER_ADDRESS", SlidingThrottle("signups", 3, 900))
    monkeypatch.setattr("tenant.pages.login.SIGNUPS_PER_ADDRESS", SlidingThrottle("signups", 3, 900))
    monkeypatch.setattr("tenant.endpoints.dbconnections.RESETS_PER_ADDRESS", Throttle("resets-per-address", 4, 900))
    return create_app(builtin_settings(tmp_path))


@pytest.fixture
def client_at(app) -> Iterator[Callable[[tuple[str, int]], TestClient]]:
    """Clients of the site whose requests come from a given address."""
    with ExitStack() as stack:
        yield lambda address: stack.enter_context(TestClient(app, client=address))


def signup(client: TestClient, number: int):
    """The site's sign-up API for a new user."""
    return client.post("/auth/signup", json={"email": f"new-{number}@example.com", "password": "Str0ng-enough-pass"})


def test_site_sign_ups_are_limited_per_visitor_address(client_at):
    one = client_at(ONE_ADDRESS)
    answers = [signup(one, number).status_code for number in range(4)]
    assert answers == [201, 201, 201, 429]
    assert signup(one, 9).json()["code"] == "too_many_requests"
    another = client_at(ANOTHER)
    assert signup(another, 10).status_code == 201  # the site's own address is not the one counted


def test_tenant_sign_ups_are_limited_per_address(client_at):
    one = client_at(ONE_ADDRESS)
    answers = [one.post("/dbconnections/signup", json={
        **CONNECTION, "email": f"direct-{number}@example.com", "password": "Str0ng-enough-pass"}) for number in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert int(answers[-1].headers["retry-after"]) <= 181


def reset(client: TestClient, email: str):
    """Ask for a password reset link."""
    return client.post("/dbconnections/change_password", json={**CONNECTION, "email": email})


def test_password_resets_are_limited_per_email(client_at):
    one = client_at(ONE_ADDRESS)
    another = client_at(ANOTHER)
    answers = [reset(client, "Bob@example.com").status_code for client in (one, another) * 3]
    assert answers == [200] * 5 + [429]
    assert reset(another, "alice@example.com").status_code == 200


def test_password_resets_are_limited_per_address(client_at):
    one = client_at(ONE_ADDRESS)
    answers = [reset(one, f"someone-{number}@example.com").status_code for number in range(5)]
    assert answers == [200] * 4 + [429]
