"""The inspector's records in the site's database, which every worker and instance reads: sealed, bounded, expiring."""

# One row per flow, encrypted with its visitor's key (flow_inspector.sealing). Bounded per visitor, in rows and in
# bytes per row; rows older than the retention are deleted. A record that cannot be written is lost, never an error
# for the exchange it describes.

import logging
import secrets
import time
from collections.abc import Callable

from sqlalchemy import (
    Column, Float, Index, LargeBinary, MetaData, String, Table, bindparam, delete, insert, select, update,
)
from starlette.concurrency import run_in_threadpool

from flow_inspector.records import Flow
from flow_inspector.sealing import seal_within, unseal
from flow_inspector.visitors import Visitor
from storage import Database, DatabaseUnavailable, first_line

logger = logging.getLogger("playground.inspector")

SCHEMA_COMPONENT = "flow_inspector"
SCHEMA_VERSION = 1
FLOWS_PER_VISITOR = 4
MAX_ROWS = 2000
MAX_RECORD_BYTES = 16 * 1024
FLOW_TTL_SECONDS = 1800
PURGE_EVERY_SECONDS = 60.0
NOT_KEPT = "A flow inspector record was not kept: %s"

metadata = MetaData()
flows = Table(
    "inspector_flows", metadata,
    Column("id", String(16), primary_key=True),
    Column("visitor", String(32), nullable=False),
    Column("started", Float, nullable=False),
    Column("sealed", LargeBinary, nullable=False),
    Index("inspector_flows_visitor_started", "visitor", "started"),
    Index("inspector_flows_started", "started"),
)


# The statements every login runs, built once with bound parameters.
MOVE = update(flows).where(flows.c.visitor == bindparam("from_visitor")).values(visitor=bindparam("to_visitor"))
REWRITE = (update(flows).where(flows.c.id == bindparam("flow_id"), flows.c.visitor == bindparam("flow_visitor"))
           .values(sealed=bindparam("flow_sealed")))
ADD = insert(flows).values(id=bindparam("flow_id"), visitor=bindparam("flow_visitor"),
                           started=bindparam("flow_started"), sealed=bindparam("flow_sealed"))
NEWEST_OF_VISITOR = (select(flows.c.id).where(flows.c.visitor == bindparam("flow_visitor"))
                     .order_by(flows.c.started.desc()).limit(bindparam("per_visitor")))
KEEP_NEWEST = delete(flows).where(flows.c.visitor == bindparam("flow_visitor"), flows.c.id.not_in(NEWEST_OF_VISITOR))
KEEP_BOUNDED = delete(flows).where(flows.c.id.in_(
    select(flows.c.id).order_by(flows.c.started.desc()).offset(bindparam("max_rows"))))
RECENT = (select(flows.c.id, flows.c.sealed)
          .where(flows.c.visitor == bindparam("flow_visitor"), flows.c.started >= bindparam("since"))
          .order_by(flows.c.started.desc()).limit(bindparam("per_visitor")))


class FlowStore:
    """Each visitor's last few flows; every write is one short transaction."""

    def __init__(self, database: Database, per_visitor: int = FLOWS_PER_VISITOR, max_rows: int = MAX_ROWS,
                 max_record_bytes: int = MAX_RECORD_BYTES, ttl: float = FLOW_TTL_SECONDS,
                 clock: Callable[[], float] = time.time) -> None:
        self.database = database
        self.per_visitor = per_visitor
        self.max_rows = max_rows
        self.max_record_bytes = max_record_bytes
        self.ttl = ttl
        self.clock = clock
        self._purged_at = float("-inf")
        with database.at_startup():
            database.bootstrap(SCHEMA_COMPONENT, metadata, SCHEMA_VERSION)

    def new_flow(self, kind: str) -> Flow:
        """A flow starting now."""
        return Flow(id=secrets.token_urlsafe(9), kind=kind, started=self.clock())

    def save(self, visitor: Visitor, flow: Flow | None) -> None:
        """Move the visitor's records to their current id, then write `flow`, sealed; drop what exceeds the bounds."""
        sealed = seal_within(flow, visitor.key, self.max_record_bytes) if flow is not None else None
        if visitor.previous is None and sealed is None:
            return
        with self.database.transaction() as connection:
            # A write comes first, so that SQLite takes its write lock at once rather than after a read.
            if visitor.previous is not None:
                connection.execute(MOVE, {"from_visitor": visitor.previous, "to_visitor": visitor.id})
            if flow is not None and sealed is not None:
                record = {"flow_id": flow.id, "flow_visitor": visitor.id, "flow_sealed": sealed}
                if not connection.execute(REWRITE, record).rowcount:
                    connection.execute(ADD, {**record, "flow_started": flow.started})
            connection.execute(KEEP_NEWEST, {"flow_visitor": visitor.id, "per_visitor": self.per_visitor})
            connection.execute(KEEP_BOUNDED, {"max_rows": self.max_rows})
        self.purge_when_due()

    def recent(self, visitor: Visitor) -> list[Flow]:
        """The visitor's flows that have not expired and that their key opens, newest first."""
        with self.database.transaction() as connection:
            rows = connection.execute(RECENT, {"flow_visitor": visitor.id, "since": self.clock() - self.ttl,
                                               "per_visitor": self.per_visitor}).all()
        self.purge_when_due()
        opened = (unseal(flow_id, sealed, visitor.key) for flow_id, sealed in rows)
        return [flow for flow in opened if flow is not None]

    def waiting_for(self, visitor: Visitor, state: str) -> Flow | None:
        """The visitor's web login whose authorization request carried this `state`."""
        return next((flow for flow in self.recent(visitor) if flow.waits_for(state)), None)

    def purge(self) -> int:
        """Delete the records older than the retention; the number deleted."""
        with self.database.transaction() as connection:
            return connection.execute(delete(flows).where(flows.c.started < self.clock() - self.ttl)).rowcount

    def purge_when_due(self) -> None:
        """Purge now and then (every PURGE_EVERY_SECONDS in each process)."""
        now = time.monotonic()
        if now - self._purged_at >= PURGE_EVERY_SECONDS:
            self._purged_at = now
            self.purge()

    async def keep(self, visitor: Visitor | None, flow: Flow | None) -> None:
        """Save on a thread; a database that cannot take it loses the record, and the exchange goes on."""
        if visitor is None:
            return
        try:
            await run_in_threadpool(self.save, visitor, flow)
        except DatabaseUnavailable as error:
            logger.warning(NOT_KEPT, first_line(error))

    async def find_waiting(self, visitor: Visitor | None, state: str) -> Flow | None:
        """`waiting_for` on a thread; None when there is no visitor or the database cannot tell."""
        if visitor is None or not state:
            return None
        try:
            return await run_in_threadpool(self.waiting_for, visitor, state)
        except DatabaseUnavailable as error:
            logger.warning(NOT_KEPT, first_line(error))
            return None
