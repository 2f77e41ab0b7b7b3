"""Enrolling an authenticator app, checking its codes (each once), and recovery codes."""

import secrets
import time
from dataclasses import dataclass

from tenant.mfa.sealing import SecretSealer
from tenant.mfa.totp import matching_step, new_recovery_code, new_secret, normalized_recovery_code
from tenant.security.throttle import Throttle
from tenant.store.authenticators import AuthenticatorRow, AuthenticatorStore
from tenant.store.store import Store, digest

# New enrollment secrets one user may ask for per quarter hour (each reload of an enrollment that has none makes one).
ENROLLMENTS_PER_USER = Throttle("mfa-enrollments", 10, 15 * 60)


@dataclass(frozen=True)
class Enrollment:
    """A pending enrollment: the secret to show and the recovery code that works once it is confirmed."""

    authenticator_id: str
    secret: str
    recovery_code: str


class TooManyEnrollments(Exception):
    """The user asked for too many new enrollment secrets in a short time."""


class Authenticators:
    """The users' authenticator apps, their secrets sealed at rest."""

    def __init__(self, store: Store, sealer: SecretSealer) -> None:
        self.store = store
        self.rows = AuthenticatorStore(store)
        self.sealer = sealer

    def enrolled(self, user_id: str) -> bool:
        """Whether the user has a confirmed authenticator app."""
        row = self.rows.get(user_id)
        return row is not None and row.confirmed

    def pending_secret(self, user_id: str) -> str | None:
        """The secret of the user's enrollment still waiting for its first code, if any."""
        row = self.rows.get(user_id)
        return None if row is None or row.confirmed else self.sealer.open(row.sealed_secret, user_id)

    def begin(self, user_id: str) -> Enrollment | None:
        """A new pending enrollment (None when the user is already enrolled); TooManyEnrollments past the bound."""
        if not ENROLLMENTS_PER_USER.take(self.store, user_id):
            raise TooManyEnrollments(user_id)
        secret, recovery = new_secret(), new_recovery_code()
        authenticator_id = f"totp|dev_{secrets.token_urlsafe(12)}"
        row = AuthenticatorRow(user_id, authenticator_id, self.sealer.seal(secret, user_id), digest(recovery), False, 0,
                               time.time())
        return Enrollment(authenticator_id, secret, recovery) if self.rows.put_pending(row) else None

    def check_code(self, user_id: str, code: str) -> bool:
        """Whether `code` is the app's current code, never used before; the first good code confirms an enrollment."""
        row = self.rows.get(user_id)
        secret = self.sealer.open(row.sealed_secret, user_id) if row is not None else None
        step = matching_step(secret, code) if secret else None
        return step is not None and self.rows.accept_step(user_id, step, confirm=not row.confirmed)

    def use_recovery_code(self, user_id: str, code: str) -> str | None:
        """The new recovery code that replaces a right one (each works once), else None."""
        replacement = new_recovery_code()
        used = self.rows.replace_recovery(user_id, digest(normalized_recovery_code(code)), digest(replacement))
        return replacement if used else None

    def new_recovery_code(self, user_id: str) -> str | None:
        """A fresh recovery code in place of the one made at enrollment (shown once, right after confirming)."""
        row = self.rows.get(user_id)
        replacement = new_recovery_code()
        if row is None or not self.rows.replace_recovery(user_id, row.recovery_digest, digest(replacement)):
            return None
        return replacement

    def listing(self, user_id: str) -> list[dict]:
        """The user's authenticators as Auth0's MFA API lists them."""
        row = self.rows.get(user_id)
        if row is None:
            return []
        listed = [{"id": row.authenticator_id, "authenticator_type": "otp", "active": row.confirmed}]
        if row.confirmed:
            listed.insert(0, {"id": f"recovery-code|dev_{row.authenticator_id.rsplit('_', 1)[-1]}",
                              "authenticator_type": "recovery-code", "active": True})
        return listed
