"""How many CPUs this process may really use: its affinity, capped by its cgroup's CPU quota (v2 or v1)."""

import math
import os
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
PROC_SELF_CGROUP = Path("/proc/self/cgroup")


def read_text(path: Path) -> str | None:
    """A small file's stripped text, or None when it cannot be read."""
    try:
        return path.read_text().strip()
    except (OSError, UnicodeDecodeError):
        return None


def affinity_cpus() -> int:
    """The CPUs the scheduler may run this process on (os.cpu_count where affinity is unknown)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def quota_fraction(quota: str | None, period: str | None) -> float | None:
    """quota / period in CPUs, or None when either is missing, unlimited or not a positive number."""
    try:
        quota_us, period_us = int(quota or ""), int(period or "")
    except ValueError:
        return None
    return quota_us / period_us if quota_us > 0 and period_us > 0 else None


def own_cgroup_paths(proc_cgroup: Path) -> dict[str, str]:
    """This process's cgroup path per controller ("" for the v2 unified hierarchy), from /proc/self/cgroup."""
    paths: dict[str, str] = {}
    for line in (read_text(proc_cgroup) or "").splitlines():
        parts = line.split(":", 2)
        if len(parts) == 3:
            for controller in parts[1].split(","):
                paths[controller] = parts[2]
    return paths


def candidate_dirs(root: Path, relative: str | None) -> list[Path]:
    """The process's own cgroup folder under `root` (when known), then `root` itself (what a container sees)."""
    own = [root / relative.lstrip("/")] if relative and relative != "/" else []
    return [*own, root]


def cgroup_quota_cpus(root: Path = CGROUP_ROOT, proc_cgroup: Path = PROC_SELF_CGROUP) -> float | None:
    """The CPU quota of this process's cgroup in CPUs (v2 cpu.max, else v1 cfs quota), or None when unlimited."""
    paths = own_cgroup_paths(proc_cgroup)
    for folder in candidate_dirs(root, paths.get("")):
        limit = read_text(folder / "cpu.max")
        if limit is not None:
            quota, _, period = limit.partition(" ")
            return quota_fraction(quota, period)
    for v1_root in (root / "cpu", root / "cpu,cpuacct"):
        for folder in candidate_dirs(v1_root, paths.get("cpu")):
            quota = read_text(folder / "cpu.cfs_quota_us")
            if quota is not None:
                return quota_fraction(quota, read_text(folder / "cpu.cfs_period_us"))
    return None


def usable_cpus(root: Path = CGROUP_ROOT, proc_cgroup: Path = PROC_SELF_CGROUP) -> float:
    """The CPUs this process may use: affinity, capped by the cgroup quota (a fraction of one core is possible)."""
    cpus = float(affinity_cpus())
    quota = cgroup_quota_cpus(root, proc_cgroup)
    return min(cpus, quota) if quota is not None else cpus


def hash_threads(root: Path = CGROUP_ROOT, proc_cgroup: Path = PROC_SELF_CGROUP) -> int:
    """Threads for CPU-bound hashing: one per whole usable CPU, at least one."""
    return max(1, math.floor(usable_cpus(root, proc_cgroup)))
