"""Addresses just refused for too many failed logins, remembered for a moment so that a flood costs no database work."""

import threading
import time
from collections import OrderedDict

REMEMBER_SECONDS = 1.0
MAX_ADDRESSES = 10_000


class RecentlyRefused:
    """Addresses over their failed-login ceiling a moment ago: refused again at once, without counting."""
    # The ceiling is a window of minutes, so a refusal a second old still holds (it lifts at most a second late); a
    # client that ignores Retry-After then costs a dictionary lookup per attempt instead of two write transactions.

    def __init__(self, seconds: float = REMEMBER_SECONDS, capacity: int = MAX_ADDRESSES) -> None:
        self.seconds = seconds
        self.capacity = capacity
        self._until: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def refused(self, address: str) -> bool:
        """Whether this address was refused within the last moment."""
        until = self._until.get(address)
        return until is not None and time.monotonic() < until

    def remember(self, address: str) -> None:
        """The address was just refused for its whole address's failures."""
        with self._lock:
            self._until[address] = time.monotonic() + self.seconds
            self._until.move_to_end(address)
            while len(self._until) > self.capacity:
                self._until.popitem(last=False)
