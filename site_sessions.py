"""Sign-ins the site has ended: a copy of the session cookie kept from before /auth/logout signs nobody in."""

# The session cookie is signed, not stored, so logout alone cannot take back a copy. Each sign-in gets a random id in
# the session; logout records it as ended in the site's own database, which every worker reads.

import secrets
import time
from collections.abc import MutableMapping
from typing import Any

from sqlalchemy import Column, Float, Index, MetaData, String, Table, delete, select
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from storage import Database, upsert
from web_session import SESSION_MAX_AGE

LOGIN_KEY = "login"
SCHEMA_COMPONENT = "site_sessions"
SCHEMA_VERSION = 1

metadata = MetaData()
ended_logins = Table(
    "site_ended_logins", metadata,
    Column("login_id", String(64), primary_key=True),
    Column("ended_at", Float, nullable=False),
    Index("site_ended_logins_ended_at", "ended_at"),
)


def start_login(session: MutableMapping[str, Any]) -> None:
    """Give a new sign-in its id."""
    session[LOGIN_KEY] = secrets.token_urlsafe(24)


class EndedLogins:
    """The ids of sign-ins ended by a logout, kept as long as their cookies could live."""

    def __init__(self, database: Database) -> None:
        self.database = database
        with database.at_startup():
            database.bootstrap(SCHEMA_COMPONENT, metadata, SCHEMA_VERSION)

    def end(self, session: MutableMapping[str, Any]) -> None:
        """Record the session's sign-in as ended (forgetting those whose cookies have expired anyway)."""
        login_id, now = session.get(LOGIN_KEY), time.time()
        with self.database.transaction() as connection:
            connection.execute(delete(ended_logins).where(ended_logins.c.ended_at < now - SESSION_MAX_AGE))
            if isinstance(login_id, str):
                # A second logout with the same copy ends it again, from now.
                upsert(connection, ended_logins, {"login_id": login_id[:64], "ended_at": now}, ["login_id"],
                       lambda new: {"ended_at": new.ended_at})

    def has_ended(self, login_id: str) -> bool:
        """True when a logout ended this sign-in."""
        with self.database.transaction() as connection:
            query = select(ended_logins.c.login_id).where(ended_logins.c.login_id == login_id[:64])
            return connection.execute(query).first() is not None


class RefuseEndedSessions:
    """Empties a session whose sign-in was ended by a logout; sits just inside the session middleware."""

    def __init__(self, app: ASGIApp, logins: EndedLogins) -> None:
        self.app = app
        self.logins = logins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        session = scope.get("session") if scope["type"] == "http" else None
        login_id = session.get(LOGIN_KEY) if session else None
        if isinstance(login_id, str) and await run_in_threadpool(self.logins.has_ended, login_id):
            session.clear()
        await self.app(scope, receive, send)
