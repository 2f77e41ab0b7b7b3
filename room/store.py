"""The room's events in the site's database (SQLite under DATA_DIR, or DATABASE_URL): tables of its own."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Column, Float, Index, Integer, MetaData, String, Table, delete, distinct, func, insert, select

from storage import Database

SCHEMA_COMPONENT = "room"
SCHEMA_VERSION = 1

metadata = MetaData()

events = Table(
    "room_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Float, nullable=False),
    Column("visitor", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("name", String(64), nullable=False),
    Column("step", String(64), nullable=False, default=""),
    # Covering indexes: the counts read these and never the table.
    Index("room_events_at_visitor", "at", "visitor"),
    Index("room_events_kind_at_name", "kind", "at", "name", "step", "visitor"),
)

workshops = Table(
    "room_workshops", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", Float, nullable=False),
)

SEEN = "seen"
MILESTONE = "milestone"
FAILURE = "failure"


@dataclass(frozen=True)
class Event:
    """One thing a visitor did: seen, reached a milestone, or met a failure; the visitor is an opaque random id."""

    at: float
    visitor: str
    kind: str
    name: str = ""
    step: str = ""


@dataclass(frozen=True)
class RoomCounts:
    """What the room looks like: counts only."""

    workshop_started_at: float
    attendees: int
    active: int
    milestones: dict[str, int]
    failures: list[tuple[str, str, int, int]]  # (failure, step, times, attendees)


class RoomStore:
    """Writes events and counts them; every method is one short transaction."""

    def __init__(self, database: Database) -> None:
        self.database = database
        with database.at_startup():
            database.bootstrap(SCHEMA_COMPONENT, metadata, SCHEMA_VERSION)

    def add(self, batch: Iterable[Event]) -> None:
        """Insert events: one INSERT statement however many there are."""
        rows = [event.__dict__ for event in batch]
        if rows:
            with self.database.transaction() as connection:
                connection.execute(insert(events), rows)

    def forget(self, visitors: list[str]) -> None:
        """Delete these visitors' events."""
        with self.database.transaction() as connection:
            connection.execute(delete(events).where(events.c.visitor.in_(visitors)))

    def purge(self, before: float) -> int:
        """Delete events older than `before`; the number deleted."""
        with self.database.transaction() as connection:
            return connection.execute(delete(events).where(events.c.at < before)).rowcount

    def start_workshop(self, at: float) -> None:
        """Count from `at` on."""
        with self.database.transaction() as connection:
            connection.execute(insert(workshops), {"started_at": at})
            connection.execute(delete(workshops).where(workshops.c.started_at < at))

    def workshop_started_at(self) -> float:
        """When the current workshop started (0 when none was started)."""
        with self.database.transaction() as connection:
            return connection.execute(select(func.max(workshops.c.started_at))).scalar() or 0.0

    def counts(self, now: float, active_window: float, failure_window: float, not_before: float = 0.0) -> RoomCounts:
        """Attendees, active attendees, visitors per milestone and recent failures, since the workshop started."""
        with self.database.transaction() as connection:
            started_at = connection.execute(select(func.max(workshops.c.started_at))).scalar() or 0.0
            since = max(started_at, not_before)
            visitors = func.count(distinct(events.c.visitor))
            attendees = connection.execute(select(visitors).where(events.c.at >= since)).scalar() or 0
            active = connection.execute(
                select(visitors).where(events.c.at >= max(since, now - active_window))).scalar() or 0
            milestones = connection.execute(
                select(events.c.name, visitors)
                .where(events.c.kind == MILESTONE, events.c.at >= since)
                .group_by(events.c.name)).all()
            failures = connection.execute(
                select(events.c.name, events.c.step, func.count(), visitors)
                .where(events.c.kind == FAILURE, events.c.at >= max(since, now - failure_window))
                .group_by(events.c.name, events.c.step)
                .order_by(func.count().desc())).all()
        return RoomCounts(
            workshop_started_at=started_at, attendees=attendees, active=active,
            milestones={name: count for name, count in milestones},
            failures=[(name, step, times, people) for name, step, times, people in failures],
        )
