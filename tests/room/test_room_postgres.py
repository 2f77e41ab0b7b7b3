"""Two instances of the site on one PostgreSQL: the room adds up what attendees do on either."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.local_server import free_port, start_server, stop_server
from tests.room.conftest import (
    ALICE, BOB, call_api, eventually, failure_counts, feed, milestone_counts, navigate, password_token,
)
from tests.room.test_room_server import browser, signed_in_instructor


@pytest.fixture
def two_instances(postgres, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two single-worker instances, each with its own data folder, sharing one fresh PostgreSQL schema."""
    schema, url = postgres.new_schema()
    processes, bases = [], []
    try:
        for name in ("first", "second"):
            port = free_port()
            (tmp_path / name).mkdir()
            processes.append(start_server(tmp_path / name, port, extra_env={"DATABASE_URL": url}))
            bases.append(f"http://127.0.0.1:{port}")
        yield bases[0], bases[1]
    finally:
        for process in processes:
            stop_server(process)
        postgres.drop_schema(schema)


def test_attendees_on_two_instances_add_up(two_instances: tuple[str, str]) -> None:
    first, second = two_instances
    on_first = [browser(first, f"198.51.100.{n}") for n in (1, 2)]
    on_second = [browser(second, f"198.51.100.{n}") for n in (3, 4, 5)]
    for client in on_first + on_second:
        assert navigate(client, "/tutorials/protect-an-api").status_code == 200
    for client in on_first + on_second[:2]:
        assert call_api(client, "/api/scoped", password_token(client, *ALICE).json()["data"]) == 200
    bob = password_token(on_second[2], *BOB).json()["data"]
    assert call_api(on_second[2], "/api/scoped", bob) == 403
    assert call_api(on_first[0], "/api/scoped", password_token(on_first[0], *BOB).json()["data"]) == 403

    def adds_up(instructor) -> dict | None:
        view = feed(instructor)
        counts = milestone_counts(view)
        return view if (view["attendees"], counts["password-token"], counts["scoped"]) == (5, 5, 4) else None

    for base in (first, second):
        instructor = signed_in_instructor(base)
        view = eventually(lambda: adds_up(instructor))  # noqa: B023 - called within this iteration
        assert view, feed(instructor)
        assert failure_counts(view) == {("api-scope", "protect-an-api"): (2, 2)}
