"""Password hashing on a few dedicated threads, with a bounded queue in front of them."""

# Argon2id takes ~19 MiB per hash, and glibc keeps a thread's malloc arena at its peak: hashes run on any of the
# server's ~40 worker threads would leave ~19 MiB behind on each. Here only `workers` threads ever hash, and glibc is
# told to give buffers that large back to the system when they are freed. A hash is refused (the caller answers 503
# with Retry-After) at once when `max_waiting` are already queued, and when it has waited `max_wait_seconds` without
# reaching a thread: a flood cannot make a valid login wait long.

import ctypes
import itertools
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Result = TypeVar("Result")

HASH_WORKERS = 2
MAX_WAITING_HASHES = 32
MAX_WAIT_SECONDS = 2.0
THREAD_NAME_PREFIX = "password-hash"
# Before any hash is timed, assume this many seconds per hash.
FIRST_ESTIMATE_SECONDS = 0.05
MAX_RETRY_AFTER_SECONDS = 30
_pool_numbers = itertools.count(1)
# glibc's mallopt: blocks of at least this size are mmapped and unmapped when freed. Setting it also stops glibc
# from raising the threshold to the largest block freed so far, which is what parks Argon2's buffers in arenas.
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 1024 * 1024


def return_large_buffers_to_the_system() -> None:
    """Have glibc unmap freed blocks of 1 MiB or more at once (a no-op where the C library is not glibc)."""
    try:
        ctypes.CDLL(None).mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
    except (OSError, AttributeError):
        pass


class HashingBusy(Exception):
    """Too many password hashes are already waiting; try again after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"password hashing is busy; retry after {retry_after} s")
        self.retry_after = retry_after


class HashPool:
    """Runs password hashes on `workers` threads of its own, refusing work when its queue is full."""

    def __init__(self, workers: int = HASH_WORKERS, max_waiting: int = MAX_WAITING_HASHES,
                 max_wait_seconds: float = MAX_WAIT_SECONDS) -> None:
        self.workers = workers
        self.max_waiting = max_waiting
        self.max_wait_seconds = max_wait_seconds
        self.thread_name_prefix = f"{THREAD_NAME_PREFIX}-{next(_pool_numbers)}"
        self._executor = self._new_executor()
        self._lock = threading.Lock()
        self._pending = 0
        self._seconds_per_hash = FIRST_ESTIMATE_SECONDS
        return_large_buffers_to_the_system()

    def run(self, function: Callable[..., Result], *args: object) -> Result:
        """Run `function(*args)` on one of the pool's threads and wait for it; HashingBusy when the queue is full."""
        with self._lock:
            if self._pending >= self.workers + self.max_waiting:
                raise HashingBusy(self._retry_after())
            self._pending += 1
        deadline = time.monotonic() + self.max_wait_seconds
        try:
            return self._executor.submit(self._run_before, deadline, function, *args).result()
        finally:
            with self._lock:
                self._pending -= 1

    def _run_before(self, deadline: float, function: Callable[..., Result], *args: object) -> Result:
        """On a pool thread: run the hash, unless it waited past its deadline; time it."""
        if time.monotonic() > deadline:
            raise HashingBusy(self._retry_after())
        started = time.perf_counter()
        try:
            return function(*args)
        finally:
            # A moving average: recent hashes say how fast this machine hashes now.
            self._seconds_per_hash = 0.8 * self._seconds_per_hash + 0.2 * (time.perf_counter() - started)

    def _retry_after(self) -> int:
        """Whole seconds until the queue has drained, at the recent pace (at least 1)."""
        seconds = self._pending * self._seconds_per_hash / self.workers
        return max(1, min(MAX_RETRY_AFTER_SECONDS, math.ceil(seconds)))

    def threads(self) -> list[threading.Thread]:
        """The live threads this pool has started (never more than `workers`)."""
        return [thread for thread in threading.enumerate() if thread.name.startswith(f"{self.thread_name_prefix}_")]

    def shutdown(self) -> None:
        """Stop the pool's threads once their work is done; work submitted later starts new ones."""
        stopping, self._executor = self._executor, self._new_executor()
        stopping.shutdown(wait=True)

    def _new_executor(self) -> ThreadPoolExecutor:
        """An executor whose threads start on first use."""
        return ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix=self.thread_name_prefix)
