"""The room under uvicorn: attendees spread over two workers add up, and the counts survive a restart."""

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from local_server import free_port, start_server, stop_server
from tests.room.conftest import (
    ADMIN, ALICE, BOB, call_api, eventually, failure_counts, feed, milestone_counts, navigate, password_token,
    sign_in,
)


def browser(base_url: str, address: str) -> httpx.Client:
    """A browser behind its own address; a new connection per request, so that both workers see it."""
    return httpx.Client(base_url=base_url, headers={"X-Forwarded-For": address}, timeout=15,
                        limits=httpx.Limits(max_keepalive_connections=0))


def signed_in_instructor(base_url: str) -> httpx.Client:
    """admin@example.com, signed in on the site."""
    client = browser(base_url, "192.0.2.200")
    assert sign_in(client, *ADMIN).status_code == 303
    return client


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Callable[[int], str]]:
    """Starts the site on the same port and data folder, stopping the one before: a restart."""
    port, running = free_port(), []

    def start(workers: int) -> str:
        while running:
            stop_server(running.pop())
        running.append(start_server(tmp_path, port, workers=workers))
        return f"http://127.0.0.1:{port}"

    yield start
    while running:
        stop_server(running.pop())


EXPECTED_MILESTONES = {"signed-in": 1, "password-token": 4, "scoped": 2, "secure": 1}
EXPECTED_FAILURES = {("api-scope", "protect-an-api"): (1, 1), ("token-wrong_password", "signup-and-token"): (1, 1),
                     ("api-authorization_header", "read-your-token"): (1, 1)}


def room_matches(instructor: httpx.Client, attendees: int) -> dict | None:
    """The feed, once it shows what the attendees did."""
    view = feed(instructor)
    counts = milestone_counts(view)
    reached = all(counts[key] == count for key, count in EXPECTED_MILESTONES.items())
    return view if view["attendees"] == attendees and reached and failure_counts(view) == EXPECTED_FAILURES else None


def test_attendees_on_two_workers_add_up_and_survive_a_restart(served: Callable[[int], str]) -> None:
    two_workers = served(2)
    attendees = [browser(two_workers, f"198.51.100.{n}") for n in range(1, 6)]
    for client in attendees:
        assert navigate(client, "/tutorials/signup-and-token").status_code == 200
    tokens = [password_token(client, *ALICE).json()["data"] for client in attendees[:3]]
    bob = password_token(attendees[3], *BOB).json()["data"]
    assert [call_api(client, "/api/scoped", token) for client, token in zip(attendees, tokens[:2])] == [200, 200]
    assert call_api(attendees[2], "/api/secure", tokens[2]) == 200
    assert call_api(attendees[3], "/api/scoped", bob) == call_api(attendees[3], "/api/scoped", bob) == 403
    assert password_token(attendees[4], "alice@example.com", "not-it").status_code == 401
    assert attendees[4].get("/api/claims", headers={"Sec-Fetch-Site": "same-origin",
                                                    "Referer": "/tutorials/read-your-token"}).status_code == 401
    assert sign_in(attendees[4], *ALICE).status_code == 303

    instructor = signed_in_instructor(two_workers)
    before = eventually(lambda: room_matches(instructor, attendees=5))
    assert before, feed(instructor)

    restarted = served(1)
    after = feed(signed_in_instructor(restarted))
    assert after["attendees"] == 5 and after["milestones"] == before["milestones"]
    assert failure_counts(after) == EXPECTED_FAILURES
