"""Attendees and an instructor, as HTTP clients of the site: helpers shared by the room's tests."""

import base64
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from middleware.sessions import SESSION_COOKIE
from room.store import events
from tests.tenant.conftest import past_consent

Client = httpx.Client  # fastapi's TestClient is one too

ADMIN = ("admin@example.com", "admin-demo-1")
ALICE = ("alice@example.com", "alice-demo-1")
BOB = ("bob@example.com", "bob-demo-1")


def navigate(client: Client, path: str, **headers: str) -> httpx.Response:
    """Load a page as a browser does."""
    return client.get(path, headers={"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Site": "none", **headers})


def from_page(step: str = "protect-an-api", **headers: str) -> dict[str, str]:
    """The headers of a fetch made by a Try-it panel on a tutorial step."""
    return {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors", "Referer": f"/tutorials/{step}", **headers}


def password_token(client: Client, email: str, password: str, step: str = "signup-and-token") -> httpx.Response:
    """`POST /auth/token` from a step's Try-it panel."""
    return client.post("/auth/token", json={"email": email, "password": password}, headers=from_page(step))


def call_api(client: Client, path: str, token: str, step: str = "protect-an-api") -> int:
    """An /api call from a step's Try-it panel; the status."""
    return client.get(path, headers=from_page(step, Authorization=f"Bearer {token}")).status_code


def sign_in(client: Client, email: str, password: str, return_to: str = "/profile") -> httpx.Response:
    """Web login through the tenant's login page; the callback's answer."""
    authorize = navigate(client, f"/auth/login?returnTo={return_to}").headers["location"]
    login_page = navigate(client, authorize).headers["location"]
    state = parse_qs(urlsplit(login_page).query)["state"][0]
    form_headers = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate"}
    answer = client.post("/u/login", data={"state": state, "username": email, "password": password},
                         headers=form_headers)
    if answer.status_code not in (302, 303):
        return answer
    return navigate(client, past_consent(client, answer.headers["location"], headers=form_headers))


def session_of(client: Client) -> dict[str, Any]:
    """The client's session, read from its signed cookie (signed, not encrypted: the visitor can read it)."""
    cookie = client.cookies.get(SESSION_COOKIE)
    if not cookie:
        return {}
    payload = cookie.split(".", 1)[0]
    return json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))


def visitor_id(client: Client) -> str:
    """The opaque id the room knows this visitor by."""
    return session_of(client)["room"]["id"]


def feed(client: Client) -> dict[str, Any]:
    """The room's counts as the instructor's page polls them."""
    answer = client.get("/room/feed")
    assert answer.status_code == 200, answer.text
    return answer.json()


def milestone_counts(view: dict[str, Any]) -> dict[str, int]:
    """Visitors per milestone key."""
    return {milestone["key"]: milestone["visitors"] for milestone in view["milestones"]}


def failure_counts(view: dict[str, Any]) -> dict[tuple[str, str], tuple[int, int]]:
    """(times, attendees) per (failure kind, step)."""
    return {(failure["kind"], failure["step"]): (failure["times"], failure["attendees"]) for failure in view["failures"]}


def eventually(check: Callable[[], Any], timeout: float = 15.0) -> Any:
    """The first truthy result of `check`, retried while events reach the store after the answers."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def recorded_events(app: FastAPI) -> int:
    """How many events the room's table holds."""
    with app.state.room.store.database.transaction() as connection:
        return connection.execute(select(func.count()).select_from(events)).scalar()
