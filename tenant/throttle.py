"""Fixed-window limits per address or email, counted in the store so that every worker and instance shares them."""

import time
from dataclasses import dataclass

from tenant.store import Store, digest


def row_key(subject: str) -> str:
    """The subject as the counter's address column holds it (64 characters): a long email by its digest."""
    return subject if len(subject) <= 64 else digest(subject)


@dataclass(frozen=True)
class Throttle:
    """At most `limit` events per `window` seconds for one subject (an address, an email)."""

    name: str
    limit: int
    window: float

    def bucket(self) -> str:
        """The counter row of the current window: not an email anyone can sign in with, so never a login's row."""
        return f"*{self.name}* {int(time.time() // self.window)}"

    def exhausted(self, store: Store, subject: str) -> bool:
        """True once the subject has used up this window."""
        return store.failed_login_count(self.bucket(), row_key(subject), self.window) >= self.limit

    def count(self, store: Store, subject: str) -> None:
        """One more event for the subject."""
        store.record_failed_login(self.bucket(), row_key(subject), self.window)

    def take(self, store: Store, subject: str) -> bool:
        """Count one event for the subject now; false past the limit (so racing callers cannot all pass)."""
        return store.record_failed_login(self.bucket(), row_key(subject), self.window) <= self.limit

    def give_back(self, store: Store, subject: str) -> None:
        """Uncount an event taken with `take`."""
        store.withdraw_failed_login(self.bucket(), row_key(subject))

    def retry_after(self) -> dict[str, str]:
        """The Retry-After header: seconds until the next window."""
        return {"Retry-After": str(int(self.window - time.time() % self.window) + 1)}
