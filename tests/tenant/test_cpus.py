"""Hash threads sized from the CPUs the process may use: its affinity, capped by its cgroup's quota."""

from pathlib import Path

import pytest

from tenant.security import cpus


@pytest.fixture
def two_cpus(monkeypatch) -> None:
    """A process allowed on two CPUs."""
    monkeypatch.setattr(cpus.os, "sched_getaffinity", lambda pid: {0, 1})


def cgroup(tmp_path: Path, own: str = "/") -> tuple[Path, Path]:
    """An empty cgroup tree and a /proc/self/cgroup that puts the process at `own` in the v2 hierarchy."""
    root = tmp_path / "cgroup"
    root.mkdir()
    proc = tmp_path / "proc-self-cgroup"
    proc.write_text(f"0::{own}\n")
    return root, proc


def write(path: Path, text: str) -> None:
    """Write a cgroup file, making its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n")


def test_without_a_quota_every_cpu_of_the_affinity_hashes(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(cpus.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    root, proc = cgroup(tmp_path)
    write(root / "cpu.max", "max 100000")
    assert cpus.usable_cpus(root, proc) == 4
    assert cpus.hash_threads(root, proc) == 4


def test_a_v2_quota_of_half_a_cpu_still_gets_one_thread(tmp_path, two_cpus) -> None:
    root, proc = cgroup(tmp_path)
    write(root / "cpu.max", "50000 100000")
    assert cpus.usable_cpus(root, proc) == 0.5
    assert cpus.hash_threads(root, proc) == 1


def test_the_quota_of_the_process_own_v2_cgroup_counts(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(cpus.os, "sched_getaffinity", lambda pid: set(range(8)))
    root, proc = cgroup(tmp_path, own="/app.slice/web.service")
    write(root / "cpu.max", "max 100000")
    write(root / "app.slice" / "web.service" / "cpu.max", "300000 100000")
    assert cpus.hash_threads(root, proc) == 3


def test_a_quota_above_the_affinity_is_capped_by_it(tmp_path, two_cpus) -> None:
    root, proc = cgroup(tmp_path)
    write(root / "cpu.max", "800000 100000")
    assert cpus.hash_threads(root, proc) == 2


@pytest.mark.parametrize(("folder", "quota", "usable", "threads"), [
    ("cpu", "150000", 1.5, 1),
    ("cpu,cpuacct", "-1", 2, 2),  # unlimited: the affinity
])
def test_a_v1_cfs_quota_counts(tmp_path, two_cpus, folder, quota, usable, threads) -> None:
    root, proc = cgroup(tmp_path)
    write(root / folder / "cpu.cfs_quota_us", quota)
    write(root / folder / "cpu.cfs_period_us", "100000")
    assert cpus.usable_cpus(root, proc) == usable
    assert cpus.hash_threads(root, proc) == threads


def test_unreadable_or_garbled_files_leave_the_affinity(tmp_path, two_cpus) -> None:
    root, proc = cgroup(tmp_path)
    write(root / "cpu.max", "lots")
    assert cpus.hash_threads(root, tmp_path / "missing") == 2
