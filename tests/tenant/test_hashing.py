"""The hash pool: Argon2id on its own threads, admitted by expected wait, fair per address; remembered logins."""

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from main import create_app
from tenant.security.cpus import hash_threads
from tenant.security.hashing import HASH_REQUESTER, HashingBusy, HashPool
from tenant.security.passwords import Passwords
from tests.conftest import ROOT, builtin_settings
from tests.tenant.conftest import password_grant


@contextmanager
def occupied(pool: HashPool, requester: str = "") -> Iterator[None]:
    """Keep one of the pool's threads busy with a hash of `requester` until the block ends."""
    started, release = threading.Event(), threading.Event()

    def hold() -> None:
        started.set()
        release.wait(10)

    def request() -> None:
        HASH_REQUESTER.set(requester)
        pool.run(hold)

    holder = threading.Thread(target=request)
    holder.start()
    assert started.wait(10)
    try:
        yield
    finally:
        release.set()
        holder.join(10)


def queue_from(pool: HashPool, requester: str, value: str, ran: list[str]) -> threading.Thread:
    """Queue, from a thread of its own, a hash of `requester` that notes `value` when it runs; wait until queued."""
    queued_before = pool.waiting()

    def request() -> None:
        HASH_REQUESTER.set(requester)
        pool.run(ran.append, value)

    caller = threading.Thread(target=request)
    caller.start()
    wait_for(lambda: pool.waiting() > queued_before)
    return caller


def wait_for(condition: Callable[[], bool]) -> None:
    """Poll until the condition holds (the other thread has got there)."""
    for _ in range(1000):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("the condition never held")


def test_hashes_run_on_at_most_the_pools_threads_however_many_callers() -> None:
    pool = HashPool(workers=2, max_wait_seconds=60)
    passwords = Passwords(pool)
    with ThreadPoolExecutor(max_workers=24) as callers:
        hashes = list(callers.map(passwords.hash, [f"Password-{n}" for n in range(24)]))
        names = set(callers.map(lambda _: pool.run(lambda: threading.current_thread().name), range(24)))
    assert all(value.startswith("$argon2id$") for value in hashes)
    assert len(pool.threads()) <= 2
    assert len(names) <= 2 and all(name.startswith(pool.thread_name_prefix) for name in names)


def test_the_tenants_default_pool_has_a_thread_per_usable_cpu() -> None:
    assert HashPool().workers == hash_threads() >= 1


def test_a_wait_past_the_bound_refuses_at_once_with_a_retry_after() -> None:
    pool = HashPool(workers=1, max_wait_seconds=0)
    with occupied(pool), pytest.raises(HashingBusy) as busy:
        pool.run(lambda: "never run")
    assert busy.value.retry_after >= 1


def test_hashes_are_admitted_while_the_expected_wait_stays_under_the_bound() -> None:
    # One second per hash, one thread busy: the n-th hash queued behind it would wait n seconds.
    pool = HashPool(workers=1, max_wait_seconds=2.5, first_estimate=1.0)
    ran: list[str] = []
    with occupied(pool):
        callers = [queue_from(pool, "203.0.113.1", f"hash {n}", ran) for n in (1, 2)]
        requester = HASH_REQUESTER.set("203.0.113.1")
        try:
            with pytest.raises(HashingBusy) as busy:
                pool.run(ran.append, "hash 3")
        finally:
            HASH_REQUESTER.reset(requester)
        assert busy.value.retry_after == 1  # 3 s expected, 0.5 s past the bound
    for caller in callers:
        caller.join(10)
    assert ran == ["hash 1", "hash 2"]  # admitted hashes wait for their turn; none is dropped


def test_one_address_cannot_fill_the_queue_for_everyone_else() -> None:
    pool = HashPool(workers=1, max_wait_seconds=2.5, first_estimate=1.0)
    ran: list[str] = []
    with occupied(pool):
        flood = [queue_from(pool, "198.51.100.7", f"flood {n}", ran) for n in (1, 2)]
        assert pool.expected_wait("198.51.100.7") > pool.max_wait_seconds  # the flooder is refused...
        assert pool.expected_wait("192.0.2.1") <= 2  # ...another visitor waits for one flood hash at most
        visitor = queue_from(pool, "192.0.2.1", "visitor", ran)
    for caller in (*flood, visitor):
        caller.join(10)
    assert ran == ["flood 1", "visitor", "flood 2"]


def test_one_address_never_holds_every_thread_so_a_visitor_finds_one_free() -> None:
    pool = HashPool(workers=2, max_wait_seconds=60)
    ran: list[str] = []
    release = threading.Event()

    def hold() -> None:
        release.wait(10)
        ran.append("flood")

    flood = [threading.Thread(target=lambda: (HASH_REQUESTER.set("198.51.100.7"), pool.run(hold))) for _ in range(2)]
    for caller in flood:
        caller.start()
    wait_for(lambda: pool.waiting() == 1)  # one flood hash runs, the other waits though a thread is idle
    assert pool.run(lambda: "visitor served") == "visitor served"
    release.set()
    for caller in flood:
        caller.join(10)
    assert ran == ["flood", "flood"]


def test_an_idle_pool_admits_a_hash_even_with_no_wait_accepted() -> None:
    pool = HashPool(workers=1, max_wait_seconds=0)
    assert pool.run(lambda: "ran") == "ran"


def test_a_remembered_login_needs_no_hash_even_when_the_pool_is_full() -> None:
    pool = HashPool(workers=1, max_wait_seconds=0)
    passwords = Passwords(pool)
    password_hash = passwords.hash("Remember-me-1")
    assert passwords.verify(password_hash, "Remember-me-1")
    with occupied(pool):
        assert passwords.verify(password_hash, "Remember-me-1")
        with pytest.raises(HashingBusy):
            passwords.verify(password_hash, "Wrong-guess-1")


def test_the_first_login_after_choosing_a_password_needs_no_hash() -> None:
    pool = HashPool(workers=1, max_wait_seconds=0)
    passwords = Passwords(pool)
    password_hash = passwords.hash("Just-chosen-1", remember=True)
    with occupied(pool):
        assert passwords.verify(password_hash, "Just-chosen-1")


def test_the_memory_of_good_logins_keeps_at_most_its_capacity() -> None:
    passwords = Passwords(HashPool(), capacity=3)
    for n in range(5):
        password = f"Password-{n}"
        assert passwords.verify(passwords.hash(password), password)
    assert len(passwords) == 3


def test_argon2s_buffers_go_back_to_the_system_after_a_burst_of_hashes() -> None:
    # In a fresh interpreter, so that no earlier test's allocations blur the figure.
    script = """
from concurrent.futures import ThreadPoolExecutor
from tests.local_server import resident_megabytes
from tenant.security.hashing import HashPool
from tenant.security.passwords import HASHER
pool = HashPool(workers=2)
pool.run(HASHER.hash, "warm-up")
before = resident_megabytes(os.getpid())
with ThreadPoolExecutor(8) as callers:
    list(callers.map(lambda n: pool.run(HASHER.hash, f"Password-{n}"), range(16)))
print(resident_megabytes(os.getpid()) - before)
"""
    result = subprocess.run([sys.executable, "-c", "import os\n" + script], cwd=ROOT, capture_output=True, text=True,
                            check=True)
    assert float(result.stdout) < 10, f"{result.stdout} MB kept after the hashes"


def test_stopping_the_site_stops_the_tenants_hashing_threads_and_frees_its_engine(tmp_path) -> None:
    app = create_app(builtin_settings(tmp_path))
    tenant = app.state.builtin_tenant.tenant
    with TestClient(app) as client:
        assert password_grant(client).status_code == 200  # hashes a password and runs step 11's Action
        assert tenant.users.passwords.pool.threads()
    assert tenant.users.passwords.pool.threads() == []
    assert tenant.actions.process_ids() == []
    with TestClient(app) as client:  # started again, as a test client may do
        assert password_grant(client, "bob").status_code == 200  # a first login: a full hash
