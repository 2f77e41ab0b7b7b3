"""The hash pool: Argon2id only on its own few threads, a bounded queue, and a bounded memory of good logins."""

import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from main import create_app
from tenant.hashing import HASH_WORKERS, HashingBusy, HashPool
from tenant.passwords import Passwords
from tests.conftest import ROOT, builtin_settings
from tests.tenant.conftest import password_grant


@contextmanager
def occupied(pool: HashPool) -> Iterator[None]:
    """Keep one of the pool's threads busy until the block ends."""
    started, release = threading.Event(), threading.Event()

    def hold() -> None:
        started.set()
        release.wait(10)

    holder = threading.Thread(target=pool.run, args=(hold,))
    holder.start()
    assert started.wait(10)
    try:
        yield
    finally:
        release.set()
        holder.join(10)


def test_hashes_run_on_at_most_the_pools_threads_however_many_callers() -> None:
    pool = HashPool(workers=2, max_waiting=64, max_wait_seconds=60)
    passwords = Passwords(pool)
    with ThreadPoolExecutor(max_workers=24) as callers:
        hashes = list(callers.map(passwords.hash, [f"Password-{n}" for n in range(24)]))
        names = set(callers.map(lambda _: pool.run(lambda: threading.current_thread().name), range(24)))
    assert all(value.startswith("$argon2id$") for value in hashes)
    assert len(pool.threads()) <= 2
    assert len(names) <= 2 and all(name.startswith(pool.thread_name_prefix) for name in names)


def test_the_tenants_default_pool_is_small() -> None:
    assert HashPool().workers == HASH_WORKERS <= 4


def test_a_full_queue_refuses_at_once_with_a_retry_after() -> None:
    pool = HashPool(workers=1, max_waiting=0)
    with occupied(pool), pytest.raises(HashingBusy) as busy:
        pool.run(lambda: "never run")
    assert busy.value.retry_after >= 1


def test_a_hash_that_waited_past_its_deadline_is_refused_not_run() -> None:
    pool = HashPool(workers=1, max_waiting=4)
    ran: list[str] = []
    outcome: list[BaseException] = []

    def queued() -> None:
        try:
            pool.run(ran.append, "late")
        except HashingBusy as error:
            outcome.append(error)

    with occupied(pool):
        pool.max_wait_seconds = 0  # whatever waits behind the busy thread is past its deadline when it gets there
        waiter = threading.Thread(target=queued)
        waiter.start()
    waiter.join(10)
    assert ran == [] and isinstance(outcome[0], HashingBusy)
    pool.max_wait_seconds = 1
    assert pool.run(lambda: "free again") == "free again"


def test_a_remembered_login_needs_no_hash_even_when_the_pool_is_full() -> None:
    pool = HashPool(workers=1, max_waiting=0)
    passwords = Passwords(pool)
    password_hash = passwords.hash("Remember-me-1")
    assert passwords.verify(password_hash, "Remember-me-1")
    with occupied(pool):
        assert passwords.verify(password_hash, "Remember-me-1")
        with pytest.raises(HashingBusy):
            passwords.verify(password_hash, "Wrong-guess-1")


def test_the_first_login_after_choosing_a_password_needs_no_hash() -> None:
    pool = HashPool(workers=1, max_waiting=0)
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
from tenant.hashing import HashPool
from tenant.passwords import HASHER
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
