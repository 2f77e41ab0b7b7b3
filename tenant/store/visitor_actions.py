"""The post-login Actions visitors deployed for their own logins: bounded in size, count and lifetime."""

import time
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, func, select

from storage import upsert
from tenant.store.store import Store
from tenant.store.tables import visitor_actions

MAX_SOURCE_BYTES = 16 * 1024
MAX_ACTIONS_PER_VISITOR = 3
MAX_NAME_LENGTH = 64
# A deployed Action is forgotten this long after it was last deployed (a workshop lasts a day).
LIFETIME = 7 * 24 * 60 * 60
TOO_LARGE = f"An Action may hold at most {MAX_SOURCE_BYTES // 1024} KB of code."
TOO_MANY = f"You may deploy at most {MAX_ACTIONS_PER_VISITOR} Actions; remove one first."
BAD_NAME = f"Name the Action with 1 to {MAX_NAME_LENGTH} characters."


class VisitorActionRefused(Exception):
    """A deploy the bounds refuse; the message says which."""


@dataclass(frozen=True)
class DeployedAction:
    """One visitor's deployed Action."""

    name: str
    source: str
    created_at: float


# Read at every login (a visitor's own Actions run after the operator's): built once.
DEPLOYED_OF = (select(visitor_actions.c.name, visitor_actions.c.source, visitor_actions.c.created_at)
               .where(visitor_actions.c.user_id == bindparam("holder"), visitor_actions.c.expires_at > bindparam("now"))
               .order_by(visitor_actions.c.created_at, visitor_actions.c.name))


class VisitorActionStore:
    """Reads and writes of the visitor_actions table."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def actions_of(self, user_id: str) -> list[DeployedAction]:
        """The user's live deployed Actions, in the order they run (first deployed first)."""
        with self.store.transaction() as db:
            rows = db.execute(DEPLOYED_OF, {"holder": user_id, "now": time.time()})
            return [DeployedAction(row.name, row.source, row.created_at) for row in rows]

    def deploy(self, user_id: str, name: str, source: str) -> None:
        """Deploy (or replace) a named Action for the user's logins; VisitorActionRefused past the bounds."""
        if not 0 < len(name) <= MAX_NAME_LENGTH or not name.strip():
            raise VisitorActionRefused(BAD_NAME)
        if len(source.encode()) > MAX_SOURCE_BYTES:
            raise VisitorActionRefused(TOO_LARGE)
        table = visitor_actions.c
        now = time.time()
        with self.store.transaction(exclusive=True) as db:
            names = set(db.scalars(select(table.name).where(table.user_id == user_id, table.expires_at > now)))
            if name not in names and len(names) >= MAX_ACTIONS_PER_VISITOR:
                raise VisitorActionRefused(TOO_MANY)
            upsert(db, visitor_actions, {"user_id": user_id, "name": name, "source": source, "created_at": now,
                                         "expires_at": now + LIFETIME}, ["user_id", "name"],
                   lambda new: {"source": new.source, "expires_at": new.expires_at})
        self.store.purge_when_due()

    def remove(self, user_id: str, name: str) -> bool:
        """Undeploy one of the user's Actions; whether there was one."""
        table = visitor_actions.c
        with self.store.transaction() as db:
            return db.execute(delete(visitor_actions).where(table.user_id == user_id, table.name == name)).rowcount > 0

    def forget(self, user_id: str) -> None:
        """Delete every Action of the user (with the rest of their data)."""
        with self.store.transaction() as db:
            db.execute(delete(visitor_actions).where(visitor_actions.c.user_id == user_id))

    def count(self) -> int:
        """How many deployed Actions are kept, for every visitor."""
        with self.store.transaction() as db:
            return db.scalar(select(func.count()).select_from(visitor_actions))
