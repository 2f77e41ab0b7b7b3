"""What the tenant keeps on a user beyond the profile: blocked, logins, the client that created it, metadata."""

import json
import time
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, func, select

from storage import PreparedUpsert, upsert
from tenant.store.store import Store
from tenant.store.tables import user_accounts, user_profiles


@dataclass(frozen=True)
class Account:
    """A user's account state, as Auth0's user object shows it."""

    blocked: bool = False
    logins_count: int = 0
    last_login: float | None = None
    last_ip: str | None = None
    created_by: str | None = None


# Read and written at every login: built once.
ACCOUNT = select(user_accounts).where(user_accounts.c.user_id == bindparam("holder"))

# One more login of `holder`, at `at` from `ip`: a new account at 1, or logins_count + 1.
RECORD_LOGIN = PreparedUpsert(
    user_accounts, {"user_id": bindparam("holder"), "blocked": False, "logins_count": 1, "last_login": bindparam("at"),
                    "last_ip": bindparam("ip")}, ["user_id"],
    lambda new: {"logins_count": user_accounts.c.logins_count + 1, "last_login": new.last_login,
                 "last_ip": new.last_ip})


class Accounts:
    """Reads and writes of user_accounts, and of the metadata in user_profiles."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def account(self, user_id: str) -> Account:
        """The user's account state (defaults for a user who never had any)."""
        with self.store.transaction() as db:
            row = db.execute(ACCOUNT, {"holder": user_id}).first()
        if row is None:
            return Account()
        return Account(bool(row.blocked), row.logins_count, row.last_login, row.last_ip, row.created_by)

    def create(self, user_id: str, created_by: str | None, blocked: bool = False) -> None:
        """The account of a user just created (by a Management API client, or at sign-up when None)."""
        with self.store.transaction() as db:
            upsert(db, user_accounts, {"user_id": user_id, "blocked": blocked, "logins_count": 0,
                                       "created_by": created_by}, ["user_id"],
                   lambda new: {"blocked": new.blocked, "created_by": new.created_by})

    def record_login(self, user_id: str, ip: str) -> None:
        """One more successful login, now, from `ip`."""
        with self.store.transaction() as db:
            RECORD_LOGIN.execute(db, {"holder": user_id, "at": time.time(), "ip": ip[:64]})

    def set_blocked(self, user_id: str, blocked: bool) -> None:
        """Block or unblock the user."""
        with self.store.transaction() as db:
            upsert(db, user_accounts, {"user_id": user_id, "blocked": blocked, "logins_count": 0}, ["user_id"],
                   lambda new: {"blocked": new.blocked})

    def created_by(self, client_id: str) -> list[str]:
        """The users a client created."""
        with self.store.transaction() as db:
            return list(db.scalars(select(user_accounts.c.user_id).where(user_accounts.c.created_by == client_id)))

    def count_created_by(self, client_id: str) -> int:
        """How many users a client created."""
        with self.store.transaction() as db:
            return db.scalar(select(func.count()).where(user_accounts.c.created_by == client_id))

    def update_profile(self, user_id: str, change) -> dict:
        """Replace the user's profile object by `change(profile)`, read and written in one exclusive transaction."""
        with self.store.transaction(exclusive=True) as db:
            data = db.scalar(select(user_profiles.c.data).where(user_profiles.c.user_id == user_id))
            profile = change(json.loads(data) if data else {})
            upsert(db, user_profiles, {"user_id": user_id, "data": json.dumps(profile)}, ["user_id"],
                   lambda new: {"data": new.data})
        return profile

    def forget(self, user_id: str) -> None:
        """Delete the account state of a deleted user."""
        with self.store.transaction() as db:
            db.execute(delete(user_accounts).where(user_accounts.c.user_id == user_id))
            db.execute(delete(user_profiles).where(user_profiles.c.user_id == user_id))
