"""How fast /room answers over a few thousand visitors' events, and what recording costs an attendee's request.

Usage: python benchmarks/room.py [--visitors 3000] [--requests 40] [--calls 400]

Fills the room's store with `--visitors` visitors' events of the last two hours (seen, milestones, failures), starts
one uvicorn worker on the built-in tenant, and times `--requests` sequential GET /room and GET /room/feed as the
instructor. Beside it runs a second worker with the room switched off (ROOM_ENABLED=false). A browser session on
each times `--calls` calls to /api/admin refused with 403 (each one a failure event the room records), in alternating
rounds so that the machine's noise falls on both, and it prints the on:off latency ratio and both servers' RSS.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from progress.milestones import MILESTONES  # noqa: E402
from room.catalogue import FAILURES  # noqa: E402
from room.store import FAILURE, MILESTONE, SEEN, Event, RoomStore  # noqa: E402
from storage import database_url_for, open_database  # noqa: E402
from tests.local_server import HOST, free_port, resident_megabytes, start_server, stop_server  # noqa: E402
from tests.local_server import HOST, free_port, start_server, stop_server  # noqa: E402

STEPS = ("signup-and-token", "protect-an-api", "read-your-token", "permissions-vs-scopes")
ROUNDS = 8


def fill(data_dir: Path, visitors: int) -> int:
    """Write a workshop's worth of events for `visitors` visitors; the number of events."""
    rng = random.Random(13)
    now = time.time()
    batch: list[Event] = []
    for number in range(visitors):
        visitor = f"{number:032x}"
        batch += [Event(now - rng.uniform(0, 7200), visitor, SEEN) for _ in range(8)]
        reached = MILESTONES[:rng.randint(1, len(MILESTONES))]
        batch += [Event(now - rng.uniform(0, 7200), visitor, MILESTONE, m.key) for m in reached]
        batch += [Event(now - rng.uniform(0, 1800), visitor, FAILURE, code, rng.choice(STEPS))
                  for code in rng.sample(sorted(FAILURES), 3)]
    database = open_database(database_url_for(None, data_dir))
    RoomStore(database).add(batch)
    database.dispose()
    return len(batch)


def token_for(port: int, email: str, password: str) -> str:
    """An access token from the built-in tenant (the instructor's holds read:room)."""
    form = {"grant_type": "password", "username": email, "password": password, "client_id": "web-app",
            "client_secret": "web-app-secret", "audience": "https://playground/api"}
    response = httpx.post(f"http://{HOST}:{port}/oauth/token", data=form, timeout=10)
    response.raise_for_status()
    return response.json()["access_token"]


def timed(client: httpx.Client, path: str, count: int, expected: int, **headers: str) -> list[float]:
    """Seconds taken by `count` sequential GETs of `path`."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append(time.perf_counter() - started)
        assert response.status_code == expected, (path, response.status_code, response.text[:200])
    return times


def percentile95(times: list[float]) -> float:
    """The 95th percentile."""
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def describe(name: str, times: list[float]) -> str:
    """Median, p95 and max in milliseconds."""
    return f"{name:34} median {statistics.median(times) * 1000:7.2f} ms   p95 {percentile95(times) * 1000:7.2f} ms   " \
           f"max {max(times) * 1000:7.2f} ms"


def browser_calls(base: str, token: str, count: int) -> list[float]:
    """Seconds taken by `count` 403s from a browser session's Try-it panel (a failure event each)."""
    headers = {"Authorization": f"Bearer {token}", "Sec-Fetch-Site": "same-origin",
               "Referer": f"{base}/tutorials/protect-an-api"}
    with httpx.Client(base_url=base, timeout=30) as browser:
        browser.get("/", headers={"Sec-Fetch-Mode": "navigate"})  # the browser gets its session
        return timed(browser, "/api/admin", count, 403, **headers)


def main() -> None:
    """Fill the store, start the site with the room on and off, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=3000, help="visitors whose events fill the store")
    parser.add_argument("--requests", type=int, default=40, help="sequential requests to /room and /room/feed")
    parser.add_argument("--calls", type=int, default=400, help=f"attendee calls per server, in {ROUNDS} rounds")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as off_folder:
        data_dir = Path(folder)
        started = time.perf_counter()
        events = fill(data_dir, arguments.visitors)
        print(f"{events} events of {arguments.visitors} visitors written in {time.perf_counter() - started:.1f} s")
        ports = {True: free_port(), False: free_port()}
        bases = {mode: f"http://{HOST}:{port}" for mode, port in ports.items()}
        sites = {}
        try:
            sites[True] = start_server(data_dir, ports[True])
            sites[False] = start_server(Path(off_folder), ports[False], extra_env={"ROOM_ENABLED": "false"})
            rss_before = {mode: resident_megabytes(site.pid) for mode, site in sites.items()}
            instructor = {"Authorization": f"Bearer {token_for(ports[True], 'admin@example.com', 'admin-demo-1')}"}
            with httpx.Client(base_url=bases[True], timeout=30) as client:
                timed(client, "/room/feed", 3, 200, **instructor)  # warm-up
                page = timed(client, "/room", arguments.requests, 200, **instructor)
                feed = timed(client, "/room/feed", arguments.requests, 200, **instructor)
            alice = {mode: token_for(port, "alice@example.com", "alice-demo-1") for mode, port in ports.items()}
            calls: dict[bool, list[float]] = {True: [], False: []}
            for _ in range(ROUNDS):
                for mode in (True, False):
                    calls[mode] += browser_calls(bases[mode], alice[mode], arguments.calls // ROUNDS)
            rss_after = {mode: resident_megabytes(site.pid) for mode, site in sites.items()}
        finally:
            for site in sites.values():
                stop_server(site)

    print(f"one uvicorn worker per mode, SQLite under DATA_DIR, {arguments.requests} sequential requests each")
    print(describe("GET /room (HTML)", page))
    print(describe("GET /room/feed (JSON)", feed))
    print(describe("403 from a browser, room on", calls[True]))
    print(describe("403 from a browser, room off", calls[False]))
    print(f"room on : off median latency = {statistics.median(calls[True]) / statistics.median(calls[False]):.2f}"
          f"   p95 = {percentile95(calls[True]) / percentile95(calls[False]):.2f}")
    for mode in (True, False):
        print(f"server RSS, room {'on ' if mode else 'off'}: {rss_before[mode]:.1f} MB before, "
              f"{rss_after[mode]:.1f} MB after")


if __name__ == "__main__":
    main()
