"""Sign-ups per address hold in any 15 minutes, not per fixed quarter hour: a boundary lets no second batch through."""

from collections.abc import Iterator
from dataclasses import replace

import pytest

from tenant.security import throttle
from tenant.endpoints.dbconnections import SIGNUPS_PER_ADDRESS
from tenant.store.store import Store

ADDRESS = "203.0.113.80"
WINDOW = SIGNUPS_PER_ADDRESS.window


class Clock:
    """The throttle's time, moved by the test (the store's own stays real)."""

    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        """The current time, in seconds."""
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """A clock one second before a quarter-hour boundary."""
    clock = Clock(1_800_000_000 // WINDOW * WINDOW + WINDOW - 1)
    monkeypatch.setattr(throttle, "time", clock)
    yield clock


@pytest.fixture
def store(tenant) -> Store:
    """The site's tenant store (SQLite, then PostgreSQL)."""
    return Store(tenant.app.state.database)


def test_a_quarter_hour_boundary_does_not_refill_the_limit(store: Store, clock: Clock) -> None:
    for _ in range(SIGNUPS_PER_ADDRESS.limit):
        assert not SIGNUPS_PER_ADDRESS.exhausted(store, ADDRESS)
        SIGNUPS_PER_ADDRESS.count(store, ADDRESS)
    assert SIGNUPS_PER_ADDRESS.exhausted(store, ADDRESS)
    clock.now += 2
    assert SIGNUPS_PER_ADDRESS.exhausted(store, ADDRESS), "a new quarter hour, the same 15 minutes"
    clock.now += WINDOW * 1.25
    assert not SIGNUPS_PER_ADDRESS.exhausted(store, ADDRESS)


def test_no_fifteen_minutes_let_more_than_the_limit_through(store: Store, clock: Clock) -> None:
    limit = replace(SIGNUPS_PER_ADDRESS, limit=12)
    admitted: list[float] = []
    for _ in range(int(3 * WINDOW / 37)):
        clock.now += 37
        for _ in range(3):
            if not limit.exhausted(store, ADDRESS):
                limit.count(store, ADDRESS)
                admitted.append(clock.now)
    busiest = max(sum(start <= moment < start + WINDOW for moment in admitted) for start in admitted)
    assert busiest == limit.limit
    assert len(admitted) >= 2 * limit.limit, "the limit refills as time passes"
