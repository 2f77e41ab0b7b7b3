"""One engine per database, its schema bootstrapped once, and one way to recognise a database that is away."""

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import (
    Column, Connection, Engine, Integer, MetaData, String, Table, create_engine, event, func, select,
)
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from storage.sqlite import LogTrimmer, disk_is_full, sqlite_begin, sqlite_connected
from storage.urls import password_of, shown

# Errors that mean "the database cannot answer now" (down, unreachable, disk full, read-only, pool exhausted),
# as opposed to a bug: they become 503s while serving and one-line errors at start-up.
DatabaseUnavailable = (OperationalError, InterfaceError, PoolTimeout)
# Any fixed 64-bit number: the advisory lock that makes instances starting together take turns.
BOOTSTRAP_LOCK = 0x61757468_30706c67
# As long as SQLite's busy_timeout: past it, the database counts as unavailable (a 503), not stuck.
SQLITE_TURN_WAIT = 10.0
DISK_FULL = "its disk is full; free some space there or give DATA_DIR a larger disk"

versions = MetaData()
schema_versions = Table(
    "schema_versions", versions,
    Column("component", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
)

Upgrade = Callable[[Connection], None]


def build_engine(url: str) -> Engine:
    """An engine with a bounded pool; PostgreSQL connections are checked before use so the site heals by itself."""
    if url.startswith("sqlite"):
        engine = create_engine(url, pool_size=10, max_overflow=30, pool_timeout=10,
                               connect_args={"timeout": 10, "check_same_thread": False})
        event.listen(engine, "connect", sqlite_connected)
        return engine
    return create_engine(url, pool_size=5, max_overflow=5, pool_timeout=10, pool_pre_ping=True, pool_recycle=300,
                         connect_args={"connect_timeout": 5})


def first_line(error: Exception, url: str | None = None) -> str:
    """The driver's reason on one line, with no password of `url` in it."""
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    text = reason[0] if reason else type(error).__name__
    password = password_of(url) if url else None
    return text.replace(password, "***") if password else text


class TakeTurns:
    """A re-entrant lock for one process's SQLite transactions, given up after as long as SQLite would wait."""

    def __init__(self, timeout: float = SQLITE_TURN_WAIT) -> None:
        self.timeout = timeout
        self._lock = threading.RLock()

    def __enter__(self) -> None:
        if not self._lock.acquire(timeout=self.timeout):
            raise OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked"))

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


class Database:
    """A database the site keeps its state in: SQLite or PostgreSQL through one code path."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = build_engine(url)
        self.log = LogTrimmer(self.path) if self.is_sqlite else None
        # SQLite has one writer at a time, and a transaction that read before writing cannot wait for its turn (it
        # fails with "database is locked" at once). This process's transactions take turns here instead.
        self._turns = TakeTurns() if self.is_sqlite else None
        self._joined = threading.local()

    @property
    def path(self) -> Path:
        """The SQLite file (meaningless for PostgreSQL)."""
        return Path(self.engine.url.database or "")

    @property
    def is_sqlite(self) -> bool:
        """True for the default SQLite file."""
        return self.engine.dialect.name == "sqlite"

    @property
    def setting(self) -> str:
        """The setting that chose this database, for error messages."""
        return "DATA_DIR" if self.is_sqlite else "DATABASE_URL"

    @contextmanager
    def together(self) -> Iterator[None]:
        """The transactions this thread opens inside run as one: for reads that belong together, or writes only.

        A transaction that reads before it writes must not be joined this way: on SQLite, another process's write in
        between makes its write fail at once. Exclusive transactions are never joined.
        """
        if getattr(self._joined, "connection", None) is not None:
            yield
            return
        with self.transaction() as connection:
            self._joined.connection = connection
            try:
                yield
            finally:
                self._joined.connection = None

    @contextmanager
    def transaction(self, exclusive: bool = False) -> Iterator[Connection]:
        """A transaction, committed on success; `exclusive` ones run one at a time across every instance."""
        joined = getattr(self._joined, "connection", None)
        if joined is not None and not exclusive:
            yield joined
            return
        try:
            with self._turns or nullcontext(), self.engine.connect() as connection:
                with connection.begin():
                    if self.is_sqlite:
                        sqlite_begin(connection, immediate=exclusive)
                    elif exclusive:
                        connection.execute(select(func.pg_advisory_xact_lock(BOOTSTRAP_LOCK)))
                    yield connection
        except OperationalError as error:
            if self.log is not None:
                self.log.trim_after(error)
            raise

    def bootstrap(self, component: str, metadata: MetaData, version: int,
                  upgrades: dict[int, Upgrade] | None = None) -> None:
        """Create missing tables, then run the upgrades from the stored version to `version`, under one lock."""
        with self.transaction(exclusive=True) as connection:
            versions.create_all(connection)
            metadata.create_all(connection)
            stored = connection.scalar(select(schema_versions.c.version)
                                       .where(schema_versions.c.component == component))
            if stored is None:
                connection.execute(schema_versions.insert().values(component=component, version=version))
                return
            for step in range(stored + 1, version + 1):
                (upgrades or {})[step](connection)
            if stored < version:
                connection.execute(schema_versions.update().where(schema_versions.c.component == component)
                                   .values(version=version))

    @contextmanager
    def at_startup(self) -> Iterator[None]:
        """Turn a database that cannot be reached or written at start-up into one line naming the setting."""
        try:
            yield
        except DatabaseUnavailable as error:
            where = self.path if self.is_sqlite else shown(self.url)
            reason = first_line(error, self.url)
            if self.is_sqlite and disk_is_full(error, self.path):
                reason = f"{DISK_FULL} ({reason})"
            raise SystemExit(f"Invalid setting {self.setting}: cannot use the database {where}: {reason}") from None

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def open_database(url: str) -> Database:
    """The database at `url`, checked to answer (else one line naming the setting, then exit)."""
    database = Database(url)
    with database.at_startup(), database.engine.connect():
        pass
    return database
