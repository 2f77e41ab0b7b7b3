"""Password hashing on a few dedicated threads, admitted by expected wait and served fairly per requester."""

# Argon2id takes ~19 MiB per hash, and glibc keeps a thread's malloc arena at its peak: hashes run on any of the
# server's worker threads would leave ~19 MiB behind on each. Here only `workers` threads ever hash (one per CPU the
# process may use), and glibc is told to give buffers that large back to the system when they are freed; a waiting
# hash is an entry in a queue and costs no memory. Each requester (an end user's address) has its own queue, and the
# threads serve the queues in turn: a flood from one address waits behind its own hashes, not in front of everyone
# else's, and no one requester runs on every thread at once (when there are two or more): a visitor arriving during a
# flood finds a thread free. A hash is admitted while its expected wait, at the pace hashes have recently taken,
# stays under a bound a person accepts; past it the caller answers 503 with a Retry-After saying how long to wait.

import ctypes
import itertools
import math
import threading
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, TypeVar

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar

from tenant.security.cpus import hash_threads

Result = TypeVar("Result")

# How long a person will wait for a sign-in or sign-up before it is better to say "try again in N seconds".
MAX_WAIT_SECONDS = 10.0
THREAD_NAME_PREFIX = "password-hash"
# Before any hash is timed, assume this many seconds per hash.
FIRST_ESTIMATE_SECONDS = 0.05
# Weight of the latest hash in the moving average of hash durations.
PACE_WEIGHT = 0.2
MAX_RETRY_AFTER_SECONDS = 30
# Requests that may hash wait on threads of their own: a queue of sign-ins never holds up the threads other requests
# need. A blocked thread holds no hash buffer; past this many, callers wait on the event loop for a thread.
HASHING_CALLERS = 256
_pool_numbers = itertools.count(1)
# Whose hash this is: set per request (the end user's address) and carried into worker threads with the context.
HASH_REQUESTER: ContextVar[str] = ContextVar("hash_requester", default="")
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
    """The queue is longer than a person would wait; try again after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"password hashing is busy; retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass(eq=False)
class Job(Generic[Result]):
    """One queued call, and what it gave back once a pool thread ran it."""

    call: Callable[[], Result]
    requester: str = ""
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None


_CALLERS: RunVar[anyio.CapacityLimiter] = RunVar("hashing_callers")


def callers_limiter() -> anyio.CapacityLimiter:
    """The running event loop's limiter for threads that may wait for a hash."""
    try:
        return _CALLERS.get()
    except LookupError:
        limiter = anyio.CapacityLimiter(HASHING_CALLERS)
        _CALLERS.set(limiter)
        return limiter


async def run_hashing_call(function: Callable[..., Result], *args: object) -> Result:
    """Run a call that may hash passwords on a thread, without taking one the rest of the server needs."""
    return await anyio.to_thread.run_sync(partial(function, *args), limiter=callers_limiter())


class HashPool:
    """Runs password hashes on `workers` threads of its own, one queue per requester served in turn."""

    def __init__(self, workers: int | None = None, max_wait_seconds: float = MAX_WAIT_SECONDS,
                 first_estimate: float = FIRST_ESTIMATE_SECONDS) -> None:
        self.workers = workers or hash_threads()
        # How many hashes of one requester may run at once: all threads but one, so that another finds one free.
        self.requester_threads = max(1, self.workers - 1)
        self.max_wait_seconds = max_wait_seconds
        self.thread_name_prefix = f"{THREAD_NAME_PREFIX}-{next(_pool_numbers)}"
        self._condition = threading.Condition()
        self._queues: OrderedDict[str, deque[Job]] = OrderedDict()
        self._running = 0
        self._running_by: Counter[str] = Counter()
        self._threads: list[threading.Thread] = []
        self._stopping = False
        self._seconds_per_hash = first_estimate
        return_large_buffers_to_the_system()

    @property
    def seconds_per_hash(self) -> float:
        """A moving average of how long recent hashes took."""
        return self._seconds_per_hash

    def run(self, function: Callable[..., Result], *args: object) -> Result:
        """Run `function(*args)` on a pool thread and wait for it; HashingBusy when the wait would be too long."""
        requester = HASH_REQUESTER.get()
        job: Job[Result] = Job(partial(function, *args), requester)
        with self._condition:
            wait = self.expected_wait(requester)
            if wait > self.max_wait_seconds:
                raise HashingBusy(retry_after_seconds(wait - self.max_wait_seconds))
            self._queues.setdefault(requester, deque()).append(job)
            self._start_thread_if_needed()
            self._condition.notify()
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job.result

    def expected_wait(self, requester: str = "") -> float:
        """Seconds a new hash of `requester` would wait for a thread, the queues being served in turn."""
        with self._condition:
            mine = len(self._queues.get(requester, ()))
            # In turn: every other queue gets at most one hash ahead of each of ours, the new one included.
            ahead = mine + sum(min(len(queue), mine + 1) for key, queue in self._queues.items() if key != requester)
            to_finish = ahead + self._running - self.workers + 1
            wait = max(0, to_finish) * self._seconds_per_hash / self.workers
            # Its own hashes run on at most `requester_threads` threads, whoever else is waiting.
            own_to_finish = mine + self._running_by[requester] - self.requester_threads + 1
            return max(wait, max(0, own_to_finish) * self._seconds_per_hash / self.requester_threads)

    def waiting(self) -> int:
        """How many hashes are queued, not yet running."""
        with self._condition:
            return sum(len(queue) for queue in self._queues.values())

    def _start_thread_if_needed(self) -> None:
        """Start one more pool thread while there are fewer than `workers` (called holding the condition)."""
        self._threads = [thread for thread in self._threads if thread.is_alive()]
        if len(self._threads) < self.workers:
            thread = threading.Thread(target=self._serve, name=f"{self.thread_name_prefix}_{len(self._threads)}",
                                      daemon=True)
            self._threads.append(thread)
            thread.start()

    def _next_job(self) -> Job | None:
        """The first hash of the first queue in turn whose requester may run one more; that queue goes to the back.

        None when every queued hash belongs to a requester already running its share (called holding the condition).
        """
        for requester, queue in self._queues.items():
            if self._running_by[requester] < self.requester_threads:
                job = queue.popleft()
                if queue:
                    self._queues.move_to_end(requester)
                else:
                    del self._queues[requester]
                return job
        return None

    def _serve(self) -> None:
        """A pool thread: run queued hashes in turn, timing each, until the pool stops and nothing is queued."""
        while True:
            with self._condition:
                job = self._next_job()
                while job is None:
                    if self._stopping and not self._queues:
                        return
                    self._condition.wait()
                    job = self._next_job()
                self._running += 1
                self._running_by[job.requester] += 1
            started = time.perf_counter()
            try:
                job.result = job.call()
            except BaseException as error:  # handed to the caller, who raises it
                job.error = error
            finally:
                with self._condition:
                    self._running -= 1
                    self._running_by[job.requester] -= 1
                    if not self._running_by[job.requester]:
                        del self._running_by[job.requester]
                    elapsed = time.perf_counter() - started
                    self._seconds_per_hash += PACE_WEIGHT * (elapsed - self._seconds_per_hash)
                    self._condition.notify_all()  # a requester at its share may run another now
                job.done.set()

    def threads(self) -> list[threading.Thread]:
        """The live threads this pool has started (never more than `workers`)."""
        return [thread for thread in threading.enumerate() if thread.name.startswith(f"{self.thread_name_prefix}_")]

    def shutdown(self) -> None:
        """Stop the pool's threads once the queued work is done; work submitted later starts new ones."""
        with self._condition:
            self._stopping = True
            stopping, self._threads = self._threads, []
            self._condition.notify_all()
        for thread in stopping:
            thread.join()
        with self._condition:
            self._stopping = False
            if self._queues:  # submitted while stopping
                self._start_thread_if_needed()


def retry_after_seconds(seconds: float) -> int:
    """Whole seconds for a Retry-After header: at least 1, at most MAX_RETRY_AFTER_SECONDS."""
    return max(1, min(MAX_RETRY_AFTER_SECONDS, math.ceil(seconds)))
