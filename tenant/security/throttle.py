"""Limits per address or email over fixed or sliding windows, counted in the store every worker shares."""

import time
from dataclasses import dataclass

from tenant.store.store import Store, digest


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


@dataclass(frozen=True)
class SlidingThrottle:
    """At most `limit` events in any `window` seconds for one subject, counted in `slices` slices of the window."""
    # The window and the slice it is in are counted: any `window` seconds lie within them, so no span of that length
    # lets more than the limit through; the price is a refusal that can last up to one slice longer.

    name: str
    limit: int
    window: float
    slices: int = 5

    @property
    def slice_seconds(self) -> float:
        """The length of one slice."""
        return self.window / self.slices

    def bucket(self, index: int) -> str:
        """The counter row of one slice, named as Throttle.bucket names a window's."""
        return f"*{self.name}* slice {index}"

    def exhausted(self, store: Store, subject: str) -> bool:
        """True once the subject's events in the current slice and the `slices` before it reach the limit."""
        current, held = int(time.time() // self.slice_seconds), self.window + self.slice_seconds
        buckets = [self.bucket(index) for index in range(current, current - self.slices - 1, -1)]
        return store.failed_login_total(buckets, row_key(subject), held) >= self.limit

    def count(self, store: Store, subject: str) -> None:
        """One more event for the subject, in the current slice."""
        store.record_failed_login(self.bucket(int(time.time() // self.slice_seconds)), row_key(subject),
                                  self.window + self.slice_seconds)

    def retry_after(self) -> dict[str, str]:
        """The Retry-After header: seconds until the oldest slice counted leaves the window."""
        return {"Retry-After": str(int(self.slice_seconds - time.time() % self.slice_seconds) + 1)}
