"""SQLite on a small disk of its own: the space holds data, not log; writes follow freed space; a full disk at start-up
is named in one line."""

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.sqlite import WAL_SIZE_LIMIT
from storage.urls import SQLITE_FILE
from tests.conftest import free_port, start_server, stop_server
from tests.deploy.platform import run_web_command, start_up_error_lines
from tests.deploy.test_database_faults import authorize_page

DISK_BYTES = 3 * 1024 * 1024
CHUNK = 64 * 1024
FULL_DISK_LINE = "its disk is full; free some space there or give DATA_DIR a larger disk"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MiB filesystem of its own (tmpfs, mounted as root), removed again after the test."""
    folder = tmp_path / "disk"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs", str(folder)], check=True)
    yield folder
    subprocess.run(["umount", "--lazy", str(folder)], check=True)


def fill(folder: Path, name: str, leave: int = 0) -> Path:
    """An operator's file that takes the disk's free space but `leave` bytes."""
    path = folder / name
    with path.open("wb") as file:
        try:
            while shutil.disk_usage(folder).free - leave >= CHUNK:
                file.write(b"\0" * CHUNK)
                file.flush()
        except OSError:
            pass
    return path


def logins_started(base: str, count: int) -> list[int]:
    """Statuses of `count` logins started at the tenant, each of which it keeps in the database."""
    return [authorize_page(base).status_code for _ in range(count)]


def test_a_nearly_full_disk_holds_data_not_log(small_disk):
    port = free_port()
    server = start_server(small_disk, port)
    try:
        fill(small_disk, "operator.bin", leave=640 * 1024)
        statuses = logins_started(f"http://127.0.0.1:{port}", 100)
        log_bytes = (small_disk / f"{SQLITE_FILE}-wal").stat().st_size
    finally:
        stop_server(server)
    assert set(statuses) == {302}, statuses
    assert log_bytes <= 2 * WAL_SIZE_LIMIT


def test_freeing_a_file_on_a_full_disk_brings_writes_back(small_disk):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(small_disk, port)
    try:
        fill(small_disk, "operator.bin", leave=256 * 1024)
        small_file = fill(small_disk, "operator-small.bin")
        full = logins_started(base, 100)
        small_file.unlink()
        freed = logins_started(base, 50)
    finally:
        stop_server(server)
    assert 503 in full
    assert set(freed) == {302}, freed


def test_a_first_start_on_a_full_disk_says_so_in_one_line(small_disk):
    fill(small_disk, "operator.bin")
    lines = start_up_error_lines(run_web_command(small_disk, free_port()))
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"Invalid setting DATA_DIR: cannot use the database {small_disk / SQLITE_FILE}: ")
    assert FULL_DISK_LINE in lines[0]


def test_a_restart_on_a_full_disk_says_so_in_one_line(small_disk):
    stop_server(start_server(small_disk, free_port()))
    fill(small_disk, "operator.bin")
    lines = start_up_error_lines(run_web_command(small_disk, free_port()))
    assert len(lines) == 1, lines
    assert FULL_DISK_LINE in lines[0]
