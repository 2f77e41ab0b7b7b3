"""The site under uvicorn on a free local port, with its own data folder: for tests and benchmarks."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from server.limits import uvicorn_flags

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# Generous: on a busy shared CI machine a cold start (imports, keys, demo users) can take half a minute.
STARTUP_TIMEOUT = 90


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# The Procfile's flags: trust X-Forwarded-* from the platform's router, whatever its address; then its limits.
PROXY_FLAGS = ("--proxy-headers", "--forwarded-allow-ips=*")
PROCFILE_FLAGS = (*PROXY_FLAGS, *uvicorn_flags())
# As the Procfile sets it: glibc backs the hash's large buffers with huge pages (a fifth of the page faults).
GLIBC_TUNABLES = "glibc.malloc.hugetlb=1"


def start_server(data_dir: Path, port: int, workers: int = 1, extra_env: dict[str, str] | None = None,
                 capture_log: bool = False, behind_proxy: bool = False) -> subprocess.Popen:
    """Start `uvicorn main:app` on 127.0.0.1:port on the built-in tenant, ignoring any `.env`; wait for /healthz."""
    # The tenant keeps its state under `data_dir`, unless `extra_env` sets DATABASE_URL. With `capture_log`, the
    # server's log is readable from `process.stderr` (keep it short: a pipe holds about 64 KB). `behind_proxy` adds
    # the Procfile's proxy flags, so that each caller may name its own X-Forwarded-For, and its limits: the server
    # then runs as the Procfile runs it.
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("AUTH0_") and key != "DATABASE_URL"}
    env.update(PYTHONPATH=str(ROOT), DATA_DIR=str(data_dir), PUBLIC_URL=f"http://{HOST}:{port}", PORT=str(port),
               GLIBC_TUNABLES=GLIBC_TUNABLES)
    env.update(extra_env or {})
    command = [sys.executable, "-m", "uvicorn", "main:app", "--host", HOST, "--port", str(port),
               "--workers", str(workers), "--log-level", "warning", *(PROCFILE_FLAGS if behind_proxy else ())]
    process = subprocess.Popen(command, cwd=data_dir, env=env, stderr=subprocess.PIPE if capture_log else None,
                               text=True)
    wait_until_healthy(process, port)
    return process


def wait_until_healthy(process: subprocess.Popen, port: int) -> None:
    """Wait for /healthz to answer, or fail with what the server said (when its output is captured)."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = process.stderr.read() if process.stderr else ""
            raise RuntimeError(f"server exited with {process.returncode}: {said}")
        try:
            if httpx.get(f"http://{HOST}:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"server did not start in {STARTUP_TIMEOUT} s")


def stop_server(process: subprocess.Popen) -> None:
    """Stop a server started by start_server."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def resident_megabytes(pid: int) -> float:
    """A process's resident memory (VmRSS) in MB, as the platform counts it against the instance's limit."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise ProcessLookupError(pid)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
