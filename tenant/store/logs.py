"""The tenant's log events as stored: written in batches, read newest first, purged by age and capped in number."""

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, delete, func, insert, or_, select

from storage import Database
from tenant.store.tables import log_events
from tenant.store.users import iso_time

# The columns a reader sees, in Auth0's names; `browser` and `session_id` stay inside the tenant.
SHOWN_COLUMNS = ("log_id", "date", "type", "description", "client_id", "client_name", "user_id", "user_name", "ip",
                 "user_agent", "connection", "details")

# Values each named column must have (any of them), as a log search asks.
Filters = dict[str, frozenset[str]]


@dataclass(frozen=True)
class LogQuery:
    """Which events to read: all of them, or those of users, browsers and sign-ins named here."""

    user_ids: frozenset[str] = frozenset()
    browsers: frozenset[str] = frozenset()
    session_ids: frozenset[str] = frozenset()
    # Users whose every event is read, whatever browser or sign-in it came from; clients likewise.
    whole_users: frozenset[str] = frozenset()
    clients: frozenset[str] = frozenset()
    everything: bool = False

    def condition(self) -> ColumnElement[bool]:
        """The WHERE clause that keeps to the events this query may read."""
        if self.everything:
            return log_events.c.seq.is_not(None)
        column = log_events.c
        of_user = column.user_id.in_(self.user_ids) & or_(
            column.browser.in_(self.browsers), column.session_id.in_(self.session_ids))
        return or_(column.user_id.in_(self.whole_users), column.client_id.in_(self.clients),
                   column.browser.in_(self.browsers), of_user)


def shown(row: object, mark_browsers: frozenset[str] | None = None) -> dict:
    """A stored event as Auth0's API shows it; with `mark_browsers`, also whether it came from one of them."""
    event = {name: getattr(row, name) for name in SHOWN_COLUMNS}
    event["details"] = json.loads(event["details"] or "{}")
    event["date"] = iso_time(row.date)
    event = {name: value for name, value in event.items() if value not in (None, "", {})}
    if mark_browsers is not None:
        event["this_browser"] = row.browser in mark_browsers
    return event


class LogStore:
    """Reads and writes of the `log_events` table."""

    def __init__(self, database: Database, retention: float, max_rows: int) -> None:
        self.database = database
        self.retention = retention
        self.max_rows = max_rows

    def insert(self, rows: Sequence[dict]) -> None:
        """Write a batch of events in one statement, then drop the oldest beyond the cap."""
        with self.database.transaction() as db:
            db.execute(insert(log_events), list(rows))
            newest = select(func.max(log_events.c.seq)).scalar_subquery()
            db.execute(delete(log_events).where(log_events.c.seq <= newest - self.max_rows))

    def purge(self, now: float) -> None:
        """Delete the events older than the retention period."""
        with self.database.transaction() as db:
            db.execute(delete(log_events).where(log_events.c.date < now - self.retention))

    def events(self, query: LogQuery, limit: int, offset: int = 0, filters: Filters | None = None,
               after: str | None = None, oldest_first: bool = False,
               mark_browsers: frozenset[str] | None = None) -> list[dict]:
        """Events the query may read, newest first (oldest first after a checkpoint `after`, as Auth0's `from`)."""
        condition = self._where(query, filters or {}, after)
        order = log_events.c.seq.asc() if after is not None or oldest_first else log_events.c.seq.desc()
        with self.database.transaction() as db:
            rows = db.execute(select(log_events).where(condition).order_by(order).limit(limit).offset(offset))
            return [shown(row, mark_browsers) for row in rows]

    def count(self, query: LogQuery, filters: Filters | None = None) -> int:
        """How many events the query may read."""
        with self.database.transaction() as db:
            return db.scalar(select(func.count()).select_from(log_events).where(self._where(query, filters or {}, None)))

    def event(self, query: LogQuery, log_id: str) -> dict | None:
        """One event by its id, if the query may read it."""
        with self.database.transaction() as db:
            row = db.execute(select(log_events).where(query.condition(), log_events.c.log_id == log_id)).first()
        return shown(row) if row else None

    @staticmethod
    def _where(query: LogQuery, filters: Filters, after: str | None) -> ColumnElement[bool]:
        conditions = [query.condition()]
        for field, values in filters.items():
            conditions.append(log_events.c[field].in_(values))
        if after is not None:
            conditions.append(log_events.c.log_id > after)
        return and_(*conditions)
