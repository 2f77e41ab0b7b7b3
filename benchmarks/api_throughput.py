"""Throughput of /api/secure (token checked) against /api/public (no token), one uvicorn worker, same run.

Usage: python benchmarks/api_throughput.py [--seconds 2] [--rounds 5] [--connections 16]

The site runs on the built-in tenant on 127.0.0.1; the load comes from a second process that keeps
`--connections` HTTP/1.1 keep-alive connections busy. Rounds alternate between the two endpoints so that both
see the same machine. It prints requests/s of each, the ratio secure/public (aim: >= 0.9) and p50/p99 latency.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.local_server import HOST, free_port, start_server, stop_server  # noqa: E402


def alice_token(port: int) -> str:
    """An access token for alice from the built-in tenant."""
    form = {"grant_type": "password", "username": "alice@example.com", "password": "alice-demo-1",
            "client_id": "web-app", "client_secret": "web-app-secret", "audience": "https://playground/api",
            "scope": "openid read:messages"}
    response = httpx.post(f"http://{HOST}:{port}/oauth/token", data=form, timeout=10)
    response.raise_for_status()
    return response.json()["access_token"]


async def keep_busy(port: int, request: bytes, until: float, latencies: list[float], errors: list[int]) -> None:
    """One keep-alive connection sending the same request back to back until `until`."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors.append(status)
    finally:
        writer.close()


async def load(port: int, path: str, token: str | None, seconds: float, connections: int) -> dict:
    """Requests, errors and latencies of `connections` connections hammering `path` for `seconds`."""
    headers = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: application/json\r\n"
    if token:
        headers += f"Authorization: Bearer {token}\r\n"
    request = (headers + "\r\n").encode()
    latencies: list[float] = []
    errors: list[int] = []
    until = time.perf_counter() + seconds
    await asyncio.gather(*(keep_busy(port, request, until, latencies, errors) for _ in range(connections)))
    return {"requests": len(latencies), "errors": len(errors), "latencies": latencies}


def run_load_process() -> None:
    """The load generator's side: read the job from argv, print the result as JSON."""
    job = json.loads(sys.argv[2])
    result = asyncio.run(load(job["port"], job["path"], job["token"], job["seconds"], job["connections"]))
    print(json.dumps(result))


def measure(port: int, path: str, token: str | None, seconds: float, connections: int) -> dict:
    """Run one round of load from a second process."""
    job = json.dumps({"port": port, "path": path, "token": token, "seconds": seconds, "connections": connections})
    output = subprocess.run([sys.executable, __file__, "--load-job", job], capture_output=True, text=True,
                            check=True, timeout=seconds + 60).stdout
    return json.loads(output)


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    """Start the site, load both endpoints in alternating rounds, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="length of one round per endpoint")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per endpoint, alternating")
    parser.add_argument("--connections", type=int, default=16, help="concurrent keep-alive connections")
    arguments = parser.parse_args()

    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        site = start_server(Path(data_dir), port, behind_proxy=True)  # as the Procfile runs it
        try:
            token = alice_token(port)
            targets = {"/api/public": None, "/api/secure": token}
            for path, bearer in targets.items():
                measure(port, path, bearer, 1.0, arguments.connections)  # warm-up
            totals = {path: {"requests": 0, "errors": 0, "latencies": []} for path in targets}
            for _ in range(arguments.rounds):
                for path, bearer in targets.items():
                    result = measure(port, path, bearer, arguments.seconds, arguments.connections)
                    for name in ("requests", "errors"):
                        totals[path][name] += result[name]
                    totals[path]["latencies"] += result["latencies"]
        finally:
            stop_server(site)

    elapsed = arguments.seconds * arguments.rounds
    print(f"one uvicorn worker, {arguments.connections} connections, {arguments.rounds} x {arguments.seconds:g} s "
          "per endpoint")
    rates = {}
    for path, total in totals.items():
        rates[path] = total["requests"] / elapsed
        print(f"{path:12} {rates[path]:8.0f} req/s   p50 {percentile(total['latencies'], 0.50) * 1000:6.2f} ms   "
              f"p99 {percentile(total['latencies'], 0.99) * 1000:6.2f} ms   non-200: {total['errors']}")
    ratio = rates["/api/secure"] / rates["/api/public"]
    print(f"ratio /api/secure : /api/public = {ratio:.3f} (aim >= 0.9)")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--load-job":
        run_load_process()
    else:
        main()
