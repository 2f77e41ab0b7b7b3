"""The tenant's state in one SQLite file, safe to share between worker processes."""

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    nickname TEXT NOT NULL,
    permissions TEXT NOT NULL DEFAULT '',
    email_verified INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS signing_keys (
    kid TEXT PRIMARY KEY,
    private_pem TEXT NOT NULL,
    created_at REAL NOT NULL,
    retired_at REAL
);
CREATE TABLE IF NOT EXISTS grants (
    kind TEXT NOT NULL,
    digest TEXT NOT NULL,
    data TEXT NOT NULL,
    expires_at REAL NOT NULL,
    PRIMARY KEY (kind, digest)
);
CREATE TABLE IF NOT EXISTS refresh_tokens (
    digest TEXT PRIMARY KEY,
    family TEXT NOT NULL,
    data TEXT NOT NULL,
    used INTEGER NOT NULL DEFAULT 0,
    expires_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS refresh_tokens_family ON refresh_tokens (family);
CREATE TABLE IF NOT EXISTS failed_logins (
    email TEXT NOT NULL COLLATE NOCASE,
    address TEXT NOT NULL,
    count INTEGER NOT NULL,
    last_at REAL NOT NULL,
    PRIMARY KEY (email, address)
);
"""


def digest(secret: str) -> str:
    """What is stored in place of a bearer secret (code, session id, refresh token)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class UserRecord:
    """A user as stored, password hash included."""

    id: str
    email: str
    password_hash: str
    name: str
    nickname: str
    permissions: tuple[str, ...]
    email_verified: bool
    created_at: float
    updated_at: float

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "UserRecord":
        """Build from a `users` row."""
        return cls(
            id=row["id"], email=row["email"], password_hash=row["password_hash"], name=row["name"],
            nickname=row["nickname"], permissions=tuple(row["permissions"].split()),
            email_verified=bool(row["email_verified"]), created_at=row["created_at"], updated_at=row["updated_at"],
        )


class EmailTaken(Exception):
    """A user with that email already exists."""


class Store:
    """SQLite access: one connection per thread, WAL so that several processes can share the file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        self.db.executescript(SCHEMA)

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
        return connection

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """An immediate (write-locked) transaction, committed on success."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # Users

    def add_user(self, record: UserRecord) -> None:
        """Insert a user; raise EmailTaken if the email is in use."""
        try:
            self.db.execute(
                "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (record.id, record.email, record.password_hash, record.name, record.nickname,
                 " ".join(record.permissions), int(record.email_verified), record.created_at, record.updated_at),
            )
        except sqlite3.IntegrityError:
            raise EmailTaken(record.email) from None

    def user_by_email(self, email: str) -> UserRecord | None:
        """The user with this email (any case), if any."""
        row = self.db.execute("SELECT * FROM users WHERE email = ?", (email,)).fetchone()
        return UserRecord.from_row(row) if row else None

    def user_by_id(self, user_id: str) -> UserRecord | None:
        """The user with this id, if any."""
        row = self.db.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        return UserRecord.from_row(row) if row else None

    def set_password(self, user_id: str, password_hash: str) -> None:
        """Replace a user's password hash."""
        self.db.execute("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
                        (password_hash, time.time(), user_id))

    # Signing keys

    def signing_keys(self) -> list[sqlite3.Row]:
        """All signing keys, newest first."""
        return self.db.execute("SELECT * FROM signing_keys ORDER BY created_at DESC").fetchall()

    def newest_key_id(self) -> str | None:
        """The kid of the key tokens are signed with now."""
        row = self.db.execute("SELECT kid FROM signing_keys ORDER BY created_at DESC LIMIT 1").fetchone()
        return row["kid"] if row else None

    # One-time grants: authorization codes, login transactions, sessions, opaque access tokens

    def put_grant(self, kind: str, secret: str, data: dict, lifetime: float) -> None:
        """Keep `data` under the digest of `secret` for `lifetime` seconds."""
        self.db.execute(
            "INSERT OR REPLACE INTO grants VALUES (?, ?, ?, ?)",
            (kind, digest(secret), json.dumps(data), time.time() + lifetime),
        )

    def get_grant(self, kind: str, secret: str) -> dict | None:
        """The live data kept under `secret`, if any."""
        row = self.db.execute(
            "SELECT data FROM grants WHERE kind = ? AND digest = ? AND expires_at > ?",
            (kind, digest(secret), time.time()),
        ).fetchone()
        return json.loads(row["data"]) if row else None

    def take_grant(self, kind: str, secret: str) -> dict | None:
        """Remove and return the data under `secret`: exactly one caller ever gets it."""
        row = self.db.execute(
            "DELETE FROM grants WHERE kind = ? AND digest = ? RETURNING data, expires_at", (kind, digest(secret))
        ).fetchone()
        if row is None or row["expires_at"] <= time.time():
            return None
        return json.loads(row["data"])

    def drop_grant(self, kind: str, secret: str) -> None:
        """Forget `secret`."""
        self.db.execute("DELETE FROM grants WHERE kind = ? AND digest = ?", (kind, digest(secret)))

    def purge_expired(self) -> None:
        """Delete what has expired."""
        now = time.time()
        with self.transaction() as db:
            db.execute("DELETE FROM grants WHERE expires_at <= ?", (now,))
            db.execute("DELETE FROM refresh_tokens WHERE expires_at <= ?", (now,))

    # Refresh tokens (rotated: each is used once; reuse revokes the family)

    def put_refresh_token(self, secret: str, family: str, data: dict, lifetime: float) -> None:
        """Keep a new refresh token of `family`."""
        self.db.execute(
            "INSERT INTO refresh_tokens VALUES (?, ?, ?, 0, ?)",
            (digest(secret), family, json.dumps(data), time.time() + lifetime),
        )

    def revoke_user_credentials(self, user_id: str, grant_kinds: tuple[str, ...]) -> None:
        """Delete a user's grants of these kinds (reset tickets, sessions) and every refresh token they hold."""
        placeholders = ", ".join("?" * len(grant_kinds))
        with self.transaction() as db:
            db.execute(f"DELETE FROM grants WHERE kind IN ({placeholders}) AND json_extract(data, '$.user_id') = ?",
                       (*grant_kinds, user_id))
            db.execute("DELETE FROM refresh_tokens WHERE json_extract(data, '$.user_id') = ?", (user_id,))

    def peek_refresh_token(self, secret: str) -> tuple[str, dict | None]:
        """A refresh token's state without using it: ("ok", data), ("reused", None) or ("unknown", None)."""
        row = self.db.execute(
            "SELECT data, used FROM refresh_tokens WHERE digest = ? AND expires_at > ?", (digest(secret), time.time())
        ).fetchone()
        if row is None:
            return "unknown", None
        return ("reused", None) if row["used"] else ("ok", json.loads(row["data"]))

    def use_refresh_token(self, secret: str) -> tuple[str, dict | None]:
        """Mark a refresh token used. Returns ("ok", data), ("reused", None) or ("unknown", None)."""
        key = digest(secret)
        row = self.db.execute(
            "UPDATE refresh_tokens SET used = 1 WHERE digest = ? AND used = 0 AND expires_at > ? RETURNING data",
            (key, time.time()),
        ).fetchone()
        if row:
            return "ok", json.loads(row["data"])
        family = self.db.execute("SELECT family FROM refresh_tokens WHERE digest = ?", (key,)).fetchone()
        if family is None:
            return "unknown", None
        self.db.execute("DELETE FROM refresh_tokens WHERE family = ?", (family["family"],))
        return "reused", None

    # Failed logins

    def failed_login_count(self, email: str, address: str, window: float) -> int:
        """Consecutive failed logins for this user from this address within `window` seconds."""
        row = self.db.execute(
            "SELECT count FROM failed_logins WHERE email = ? AND address = ? AND last_at > ?",
            (email, address, time.time() - window),
        ).fetchone()
        return row["count"] if row else 0

    def record_failed_login(self, email: str, address: str, window: float) -> None:
        """Count one more failed login (the count restarts after `window` seconds of quiet)."""
        now = time.time()
        self.db.execute(
            "INSERT INTO failed_logins VALUES (?, ?, 1, ?) ON CONFLICT (email, address) DO UPDATE SET "
            "count = CASE WHEN last_at > ? THEN count + 1 ELSE 1 END, last_at = excluded.last_at",
            (email, address, now, now - window),
        )

    def clear_failed_logins(self, email: str, address: str) -> None:
        """Forget failed logins after a success."""
        self.db.execute("DELETE FROM failed_logins WHERE email = ? AND address = ?", (email, address))
