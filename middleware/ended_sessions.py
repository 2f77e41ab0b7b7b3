"""Sign-ins the site has ended: a copy of the session cookie kept from before /auth/logout signs nobody in."""

# The session cookie is signed, not stored, so logout alone cannot take back a copy. Each sign-in gets a random id in
# the session; logout records it as ended in the site's own database, which every worker reads.

import logging
import secrets
import threading
import time
from collections.abc import MutableMapping
from typing import Any

from sqlalchemy import Column, Float, Index, MetaData, String, Table, bindparam, delete, select
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from middleware.sessions import SESSION_MAX_AGE
from storage import Database, DatabaseUnavailable, PreparedUpsert, first_line

logger = logging.getLogger("playground.sessions")

LOGIN_KEY = "login"
LOGOUT_PATH = "/auth/logout"
# Pages that are the sign-in itself: while it cannot be checked they wait (503) rather than show it or start another.
SIGNED_IN_PAGES = ("/profile", "/inspector", "/room", "/auth/login", "/auth/callback")
# Logouts the database could not take, kept in this process until it can (the oldest go first past this many).
MAX_UNRECORDED = 10_000
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


# Asked at every request of a signed-in browser, written at every logout: built once.
ENDED = select(ended_logins.c.login_id).where(ended_logins.c.login_id == bindparam("ended_login"))
FORGET_EXPIRED = delete(ended_logins).where(ended_logins.c.ended_at < bindparam("oldest"))


# A sign-in ended at `ended`; a second logout with the same copy ends it again, from then.
END_LOGIN = PreparedUpsert(ended_logins, {"login_id": bindparam("ended_login"), "ended_at": bindparam("ended")},
                           ["login_id"], lambda new: {"ended_at": new.ended_at})


class EndedLogins:
    """The ids of sign-ins ended by a logout, kept as long as their cookies could live."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._unrecorded: dict[str, float] = {}
        self._lock = threading.Lock()
        with database.at_startup():
            database.bootstrap(SCHEMA_COMPONENT, metadata, SCHEMA_VERSION)

    def end(self, session: MutableMapping[str, Any]) -> None:
        """Record the session's sign-in as ended; with the database away, in this process until it is back."""
        login_id = session.get(LOGIN_KEY)
        with self._lock:
            if isinstance(login_id, str):
                self._unrecorded[login_id[:64]] = time.time()
                while len(self._unrecorded) > MAX_UNRECORDED:
                    del self._unrecorded[next(iter(self._unrecorded))]
        try:
            self.record()
        except DatabaseUnavailable as error:
            logger.warning("A logout waits to be recorded: %s", first_line(error))

    def record(self) -> None:
        """Write the logouts this process holds (forgetting those whose cookies have expired anyway)."""
        with self._lock:
            unrecorded = dict(self._unrecorded)
        now = time.time()
        with self.database.transaction() as connection:
            connection.execute(FORGET_EXPIRED, {"oldest": now - SESSION_MAX_AGE})
            for login_id, ended_at in unrecorded.items():
                END_LOGIN.execute(connection, {"ended_login": login_id, "ended": ended_at})
        with self._lock:
            for login_id, ended_at in unrecorded.items():
                if self._unrecorded.get(login_id) == ended_at:
                    del self._unrecorded[login_id]

    def has_ended(self, login_id: str) -> bool:
        """True when a logout ended this sign-in; raises DatabaseUnavailable when that cannot be told."""
        if login_id[:64] in self._unrecorded:
            return True
        if self._unrecorded:
            self.record()
        with self.database.transaction() as connection:
            return connection.execute(ENDED, {"ended_login": login_id[:64]}).first() is not None


class RefuseEndedSessions:
    """Empties a session whose sign-in was ended by a logout; sits just inside the session middleware."""

    def __init__(self, app: ASGIApp, logins: EndedLogins) -> None:
        self.app = app
        self.logins = logins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        session = scope.get("session") if scope["type"] == "http" else None
        login_id = session.get(LOGIN_KEY) if session else None
        if not isinstance(login_id, str):
            await self.app(scope, receive, send)
            return
        try:
            ended = await run_in_threadpool(self.logins.has_ended, login_id)
        except DatabaseUnavailable as error:
            await self.unconfirmed(scope, receive, send, error)
            return
        if ended:
            session.clear()
        await self.app(scope, receive, send)

    async def unconfirmed(self, scope: Scope, receive: Receive, send: Send, error: Exception) -> None:
        """A sign-in not checkable now: logout goes ahead, its own pages wait, the rest see a visitor not yet known."""
        if scope["path"] == LOGOUT_PATH:
            await self.app(scope, receive, send)
            return
        if scope["path"].startswith(SIGNED_IN_PAGES):
            raise error
        logger.warning("A sign-in could not be checked at %s: %s", scope["path"], first_line(error))
        # The page sees no session; the cookie goes back as it came, whatever the page put in its stand-in.
        session = scope["session"]
        scope["session"] = {}

        async def send_keeping_session(message: Message) -> None:
            if message["type"] == "http.response.start":
                scope["session"] = session
            await send(message)

        await self.app(scope, receive, send_keeping_session)
