"""How fast /room answers over a few thousand visitors' events, and what recording costs an attendee's request.

Usage: python benchmarks/room.py [--visitors 3000] [--requests 40] [--calls 200]

Fills the room's store with `--visitors` visitors' events of the last two hours (seen, milestones, failures), starts
one uvicorn worker on the built-in tenant, and times `--requests` sequential GET /room and GET /room/feed as the
instructor. Then it times `--calls` calls to /api/admin refused with 403 (each one a failure event, so one INSERT)
from a browser session, against the same calls from a script the room does not record, in alternating rounds, and
prints the server's RSS before and after.
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
from tests.local_server import HOST, free_port, start_server, stop_server  # noqa: E402

STEPS = ("signup-and-token", "protect-an-api", "read-your-token", "permissions-vs-scopes")


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
    response = httpx.post(f"http://{HOST}:{port}/tenant/oauth/token", data=form, timeout=10)
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


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def describe(name: str, times: list[float]) -> str:
    """Median, p95 and max in milliseconds."""
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"{name:34} median {statistics.median(times) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms   " \
           f"max {ordered[-1] * 1000:7.2f} ms"


def main() -> None:
    """Fill the store, start the site, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=3000, help="visitors whose events fill the store")
    parser.add_argument("--requests", type=int, default=40, help="sequential requests to /room and /room/feed")
    parser.add_argument("--calls", type=int, default=200, help="attendee calls per kind, in 4 alternating rounds")
    arguments = parser.parse_args()

    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        started = time.perf_counter()
        events = fill(data_dir, arguments.visitors)
        print(f"{events} events of {arguments.visitors} visitors written in {time.perf_counter() - started:.1f} s")
        site = start_server(data_dir, port)
        base = f"http://{HOST}:{port}"
        try:
            rss_before = rss_mb(site.pid)
            instructor = {"Authorization": f"Bearer {token_for(port, 'admin@example.com', 'admin-demo-1')}"}
            alice = {"Authorization": f"Bearer {token_for(port, 'alice@example.com', 'alice-demo-1')}"}
            browser_headers = {**alice, "Sec-Fetch-Site": "same-origin", "Referer": f"{base}/tutorials/protect-an-api"}
            with httpx.Client(base_url=base, timeout=30) as client:
                timed(client, "/room/feed", 3, 200, **instructor)  # warm-up
                page = timed(client, "/room", arguments.requests, 200, **instructor)
                feed = timed(client, "/room/feed", arguments.requests, 200, **instructor)
            recorded: list[float] = []
            unrecorded: list[float] = []
            with httpx.Client(base_url=base, timeout=30) as browser, httpx.Client(base_url=base, timeout=30) as script:
                browser.get("/", headers={"Sec-Fetch-Mode": "navigate"})  # the browser gets its session
                for _ in range(4):
                    recorded += timed(browser, "/api/admin", arguments.calls // 4, 403, **browser_headers)
                    unrecorded += timed(script, "/api/admin", arguments.calls // 4, 403, **alice)
            rss_after = rss_mb(site.pid)
        finally:
            stop_server(site)

    print(f"one uvicorn worker, SQLite under DATA_DIR, {arguments.requests} sequential requests each")
    print(describe("GET /room (HTML)", page))
    print(describe("GET /room/feed (JSON)", feed))
    print(describe("403 from a browser (recorded)", recorded))
    print(describe("403 from a script (not recorded)", unrecorded))
    print(f"recorded : not recorded median latency = "
          f"{statistics.median(recorded) / statistics.median(unrecorded):.2f}")
    print(f"server RSS {rss_before:.1f} MB before, {rss_after:.1f} MB after")


if __name__ == "__main__":
    main()
