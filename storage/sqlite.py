"""The SQLite file's settings: WAL shared by every process, a log kept small, and a full disk recognised as such."""

import logging
import shutil
import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

logger = logging.getLogger("playground.storage")

# The write-ahead log is copied into the file every WAL_CHECKPOINT_PAGES pages (SQLite's default is 1000, 4 MB)
# and cut back to WAL_SIZE_LIMIT bytes once copied: on a nearly full disk the space holds data, not log.
WAL_CHECKPOINT_PAGES = 64
WAL_SIZE_LIMIT = 256 * 1024
SQLITE_PRAGMAS = (
    "PRAGMA busy_timeout=10000", "PRAGMA synchronous=NORMAL",
    f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}", f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}",
)
SQLITE_WAL_WAIT = 10.0
# Another connection holds the lock: worth waiting for (anything else, such as a full disk, is not).
BUSY_ERRORS = ("SQLITE_BUSY", "SQLITE_LOCKED")
# A write the disk refused: no room left, or an error writing the log.
WRITE_ERRORS = ("SQLITE_FULL", "SQLITE_IOERR")
# Below this much free space, a write error means the disk is full (SQLite reports some as "disk I/O error").
FULL_DISK_BYTES = 1024 * 1024


def sqlite_connected(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    """WAL so that several processes share the file; transactions begun by SQLAlchemy, not by the driver."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    switch_to_wal(cursor)
    cursor.close()


def error_name(error: BaseException) -> str:
    """SQLite's name for a driver error or its SQLAlchemy wrapper (SQLITE_FULL...); empty for anything else."""
    return str(getattr(getattr(error, "orig", None) or error, "sqlite_errorname", ""))


def is_busy(error: BaseException) -> bool:
    """True when another connection holds the lock: a wait, not a failure."""
    return error_name(error).startswith(BUSY_ERRORS)


def switch_to_wal(cursor: sqlite3.Cursor) -> None:
    """Put the file in WAL mode, retrying while another connection does the same."""
    # Two connections switching a new file at once can get "database is locked" without busy_timeout's wait.
    deadline = time.monotonic() + SQLITE_WAL_WAIT
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if not is_busy(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def sqlite_begin(connection: Connection, immediate: bool = False) -> None:
    """BEGIN, or BEGIN IMMEDIATE (the write lock up front), sent on the driver's own connection."""
    # Not from a "begin" event listener: any engine event makes SQLAlchemy dispatch events around every statement,
    # which cost about as much as the statements themselves. Its errors are SQLAlchemy's, as exec_driver_sql's are.
    statement = "BEGIN IMMEDIATE" if immediate else "BEGIN"
    try:
        connection.connection.driver_connection.execute(statement)
    except sqlite3.Error as error:
        raise DBAPIError.instance(statement, (), error, sqlite3.Error) from error


def free_bytes(path: Path) -> int | None:
    """Free space on the disk that holds `path`, or None when it cannot be told."""
    try:
        return shutil.disk_usage(path.parent).free
    except OSError:
        return None


def disk_is_full(error: BaseException, path: Path) -> bool:
    """True when `error` (a driver error or its SQLAlchemy wrapper) comes from a disk with no room left."""
    if error_name(error) == "SQLITE_FULL":
        return True
    free = free_bytes(path)
    return free is not None and free < FULL_DISK_BYTES


class LogTrimmer:
    """Copies the write-ahead log into the file and cuts it to nothing, at most one at a time, never waiting."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def trim_after(self, error: BaseException) -> None:
        """After a write the disk refused, give the log's space back to the disk for the next write."""
        if error_name(error).startswith(WRITE_ERRORS):
            self.trim()

    def trim(self) -> bool:
        """A TRUNCATE checkpoint now, if no other connection is in the way; True when the log is empty."""
        if not self.path.exists() or not self._lock.acquire(blocking=False):
            return False
        try:
            # Its own connection with no busy wait: a request that just failed must not wait 10 s more.
            connection = sqlite3.connect(self.path, timeout=0, isolation_level=None)
            try:
                busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                return busy == 0
            finally:
                connection.close()
        except sqlite3.Error as error:
            logger.warning("The database's write-ahead log could not be trimmed: %s", error)
            return False
        finally:
            self._lock.release()
