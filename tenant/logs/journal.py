"""Recording the tenant's log events: queued in memory at once, written in batches by a short-lived thread."""

import functools
import json
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from tenant.directory import CONNECTION, Directory
from tenant.store.logs import LogQuery, LogStore
from tenant.store.store import digest
from tenant.store.users import EMAIL_PATTERN, PUBLISHED_ACCOUNTS, User, user_id_for

logger = logging.getLogger("tenant")

# Events wait this long so that a burst is written in one statement; a reader in this process flushes first.
FLUSH_DELAY = 0.2
# Events waiting while the database is away; past this many the oldest are dropped, so memory stays bounded.
MAX_PENDING = 2_000
RETRY_DELAY = 2.0
IDLE_EXIT = 60.0
# Events the database refused for this long are dropped (with a warning): the log is not worth unbounded retries.
GIVE_UP_AFTER = 600
PURGE_INTERVAL = 60.0
LOG_RETENTION = 2 * 86_400
MAX_LOG_ROWS = 20_000
MAX_TEXT = {"description": 512, "user_agent": 512, "user_name": 320, "client_id": 128, "client_name": 128,
            "ip": 64, "connection": 128}
MAX_DETAIL_TEXT = 512
NOT_AN_EMAIL = "(not an email address)"
# The demo accounts a room shares: a visitor sees only their own browser's and sign-in's events of these.
PUBLISHED_USER_IDS = frozenset(f"auth0|{user_id_for(email)}" for email in PUBLISHED_ACCOUNTS)


@dataclass(frozen=True)
class Origin:
    """Where an event came from: the end user's address, user agent and browser id (if any)."""

    ip: str
    user_agent: str = ""
    browser: str | None = None


def never_fails(record: Callable[..., None]) -> Callable[..., None]:
    """A recording function that logs its own failure rather than fail the request it records."""

    @functools.wraps(record)
    def guarded(*args: object, **kwargs: object) -> None:
        try:
            record(*args, **kwargs)
        except Exception:  # a log event is never worth a failed login
            logger.exception("A log event could not be recorded")

    return guarded


def bounded(value: object) -> object:
    """A detail value with every string cut to a bounded length, nested no deeper than the tenant's own details."""
    if isinstance(value, str):
        return value[:MAX_DETAIL_TEXT]
    if isinstance(value, dict):
        return {str(key)[:64]: bounded(item) for key, item in list(value.items())[:16]}
    if isinstance(value, list | tuple):
        return [bounded(item) for item in value[:16]]
    return value if isinstance(value, int | float | bool) or value is None else str(value)[:MAX_DETAIL_TEXT]


def typed_username(value: object) -> str | None:
    """What a login named as its user, kept only when it is an email address: a password typed there is not kept."""
    if not isinstance(value, str) or not value:
        return None
    return value.lower() if EMAIL_PATTERN.match(value) else NOT_AN_EMAIL


def new_log_id(moment: float) -> str:
    """A log id that sorts by time, digits only as Auth0's are."""
    return f"90020{int(moment * 1_000_000):017d}{secrets.randbelow(10 ** 9):09d}"


class Journal:
    """The tenant's logs: `record` never waits for the database and never fails the request that calls it."""

    def __init__(self, store: LogStore, directory: Directory, flush_delay: float = FLUSH_DELAY,
                 max_pending: int = MAX_PENDING) -> None:
        self.store = store
        self.directory = directory
        self.flush_delay = flush_delay
        self._pending: deque[dict] = deque(maxlen=max_pending)
        self._lock = threading.Lock()
        self._writing = threading.Lock()
        self._writer: threading.Thread | None = None
        self._purged_at = 0.0
        self._closed = False
        self._failing_since: float | None = None
        self._idle = False
        self._wake = threading.Event()

    @never_fails
    def record(self, event_type: str, origin: Origin, *, client_id: object = None, user: User | None = None,
               user_name: object = None, description: str = "", details: dict | None = None,
               session_id: str | None = None) -> None:
        """Queue one event for writing (its row is built here; the database is not touched)."""
        row = self._row(event_type, origin, client_id, user, user_name, description, details, session_id)
        with self._lock:
            self._pending.append(row)
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_soon, name="tenant-log-writer", daemon=True)
                self._writer.start()
            elif self._idle:
                self._idle = False
                self._wake.set()

    def _row(self, event_type: str, origin: Origin, client_id: object, user: User | None, user_name: object,
             description: str, details: dict | None, session_id: str | None) -> dict:
        now = time.time()
        client = self.directory.client(client_id)
        row = {
            "log_id": new_log_id(now), "date": now, "type": event_type, "description": description or "",
            "client_id": client_id if isinstance(client_id, str) else None,
            "client_name": client.name if client else None,
            "user_id": user.sub if user else None,
            "user_name": user.record.email if user else typed_username(user_name),
            "ip": origin.ip, "user_agent": origin.user_agent, "connection": CONNECTION if user or user_name else None,
            "details": json.dumps(bounded(details or {})),
            "browser": digest(origin.browser) if origin.browser else None,
            "session_id": session_id[:64] if isinstance(session_id, str) else None,
        }
        for name, limit in MAX_TEXT.items():
            if isinstance(row[name], str):
                # PostgreSQL refuses NUL in text: one typed into a login form must not refuse the whole batch.
                row[name] = row[name].replace("\x00", "\ufffd")[:limit]
        return row

    def _write_soon(self) -> None:
        """The writer thread: batch, write, then wait for the next event; it stops after a quiet minute."""
        # Kept waiting rather than started per batch: starting a thread costs a request a GIL hand-over.
        delay = self.flush_delay
        while True:
            time.sleep(delay)
            delay = self.flush_delay if self.flush() else RETRY_DELAY
            with self._lock:
                if self._closed:
                    self._writer = None
                    return
                if self._pending:
                    continue
                self._idle = True
                self._wake.clear()
            self._wake.wait(IDLE_EXIT)
            with self._lock:
                if not self._pending:
                    self._writer, self._idle = None, False
                    return

    def flush(self) -> bool:
        """Write every queued event now; False (keeping them queued) when the database refused them."""
        with self._writing:
            with self._lock:
                batch = list(self._pending)
                self._pending.clear()
            if not batch:
                return True
            try:
                self.store.insert(batch)
                if time.time() - self._purged_at >= PURGE_INTERVAL:
                    self._purged_at = time.time()
                    self.store.purge(self._purged_at)
            except Exception as error:
                self._keep_for_later(batch, error)
                return False
            self._failing_since = None
            return True

    def _keep_for_later(self, batch: list[dict], error: Exception) -> None:
        """Queue a refused batch again (the oldest dropped past the bound); give up after a long outage."""
        now = time.time()
        if self._failing_since is None:
            self._failing_since = now
            logger.warning("Log events not written yet (%s): %d waiting", type(error).__name__, len(batch))
        if now - self._failing_since > GIVE_UP_AFTER:
            logger.warning("Log events dropped after %d s without a database: %d", GIVE_UP_AFTER, len(batch))
            self._failing_since = None
            return
        with self._lock:
            room = self._pending.maxlen - len(self._pending)
            self._pending.extendleft(reversed(batch[max(len(batch) - room, 0):] if room > 0 else []))

    def close(self) -> None:
        """Write what is queued (as far as the database lets), and let the writer thread end."""
        self._closed = True
        self._wake.set()
        self.flush()

    def visitor_events(self, user_id: str | None, session_id: str | None, browsers: frozenset[str],
                       limit: int) -> list[dict]:
        """A visitor's own events, newest first: their browsers', and their account's (see LogQuery)."""
        # A published demo account is shared by a room: only this visitor's browsers' and sign-in's events of it.
        self.flush()
        query = LogQuery(user_ids=frozenset({user_id}) if user_id else frozenset(),
                         browsers=frozenset(digest(browser) for browser in browsers if browser),
                         session_ids=frozenset({session_id}) if session_id else frozenset(),
                         whole_users=frozenset({user_id}) - PUBLISHED_USER_IDS if user_id else frozenset())
        return self.store.events(query, limit, mark_browsers=query.browsers)
