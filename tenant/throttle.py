"""Fixed-window limits per address or email, counted in the store so that every worker and instance shares them."""

import time
from dataclasses import dataclass

from tenant.store import Store


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
        return store.failed_login_count(self.bucket(), subject, self.window) >= self.limit

    def count(self, store: Store, subject: str) -> None:
        """One more event for the subject."""
        store.record_failed_login(self.bucket(), subject, self.window)

    def retry_after(self) -> dict[str, str]:
        """The Retry-After header: seconds until the next window."""
        return {"Retry-After": str(int(self.window - time.time() % self.window) + 1)}
