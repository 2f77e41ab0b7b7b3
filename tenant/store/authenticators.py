"""The users' authenticator apps as stored: one per user, pending until its first code confirms it."""

import time
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from tenant.store.store import Store
from tenant.store.tables import mfa_authenticators

# An enrollment not confirmed within this long is forgotten.
PENDING_LIFETIME = 60 * 60


@dataclass(frozen=True)
class AuthenticatorRow:
    """One user's authenticator app, its secret still sealed."""

    user_id: str
    authenticator_id: str
    sealed_secret: str
    recovery_digest: str
    confirmed: bool
    last_step: int
    created_at: float


# Asked at every login (is the user enrolled?): built once.
AUTHENTICATOR_OF = select(mfa_authenticators).where(mfa_authenticators.c.user_id == bindparam("holder"))


class AuthenticatorStore:
    """Reads and writes of the mfa_authenticators table, one short transaction each."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, user_id: str) -> AuthenticatorRow | None:
        """The user's authenticator (a pending one only while it may still be confirmed)."""
        with self.store.transaction() as db:
            row = db.execute(AUTHENTICATOR_OF, {"holder": user_id}).first()
        if row is None or (not row.confirmed and row.created_at < time.time() - PENDING_LIFETIME):
            return None
        return AuthenticatorRow(row.user_id, row.authenticator_id, row.sealed_secret, row.recovery_digest,
                                bool(row.confirmed), row.last_step, row.created_at)

    def put_pending(self, row: AuthenticatorRow) -> bool:
        """Keep a new pending enrollment in place of any unconfirmed one; false when the user is already enrolled."""
        self.purge_pending()
        table = mfa_authenticators.c
        try:
            with self.store.transaction() as db:
                db.execute(delete(mfa_authenticators).where(table.user_id == row.user_id, table.confirmed.is_(False)))
                db.execute(insert(mfa_authenticators).values(
                    user_id=row.user_id, authenticator_id=row.authenticator_id, sealed_secret=row.sealed_secret,
                    recovery_digest=row.recovery_digest, confirmed=False, last_step=0, created_at=row.created_at))
        except IntegrityError:
            return False
        return True

    def accept_step(self, user_id: str, step: int, confirm: bool) -> bool:
        """Record that a code of `step` was used; false when a code of that step or a later one already was."""
        table = mfa_authenticators.c
        values: dict = {"last_step": step}
        if confirm:
            values["confirmed"] = True
        with self.store.transaction() as db:
            changed = db.execute(update(mfa_authenticators).where(
                table.user_id == user_id, table.last_step < step).values(**values)).rowcount
        return changed == 1

    def replace_recovery(self, user_id: str, old_digest: str, new_digest: str) -> bool:
        """Use up the recovery code whose digest is `old_digest`, putting a new one in its place (once only)."""
        table = mfa_authenticators.c
        with self.store.transaction() as db:
            changed = db.execute(update(mfa_authenticators).where(
                table.user_id == user_id, table.confirmed.is_(True), table.recovery_digest == old_digest,
            ).values(recovery_digest=new_digest)).rowcount
        return changed == 1

    def drop(self, user_id: str) -> None:
        """Forget the user's authenticator (with the user's other data)."""
        with self.store.transaction() as db:
            db.execute(delete(mfa_authenticators).where(mfa_authenticators.c.user_id == user_id))

    def purge_pending(self) -> None:
        """Forget enrollments never confirmed."""
        table = mfa_authenticators.c
        with self.store.transaction() as db:
            db.execute(delete(mfa_authenticators).where(
                table.confirmed.is_(False), table.created_at < time.time() - PENDING_LIFETIME))
