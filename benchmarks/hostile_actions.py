"""Other visitors' logins and the server's memory while hostile post-login Actions run, beside a quiet run.

Usage: python benchmarks/hostile_actions.py [--seconds 20] [--visitors 4] [--hostile 1]

The site runs on the built-in tenant with benchmarks/actions/hostile.js as its Action. In each phase `--visitors`
threads log in with the password grant back to back (alice's password is remembered after the first, so no hash);
in the hostile phase `--hostile` more threads log in asking the Action to loop forever, allocate without end or
leave a storm of timers, in turn. It prints the visitors' p50/p99 per phase and their ratio, what the hostile
logins got, and the resident memory of the server and of its Actions' child processes.
"""

import argparse
import itertools
import json
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.api_throughput import percentile  # noqa: E402
from tests.local_server import HOST, free_port, resident_megabytes, start_server, stop_server  # noqa: E402

ACTION = ROOT / "benchmarks" / "actions" / "hostile.js"
HOSTILE_KINDS = ("loop", "memory", "timers")


def token_form(scope: str) -> dict[str, str]:
    """A password-grant request for alice."""
    return {"grant_type": "password", "username": "alice@example.com", "password": "alice-demo-1",
            "client_id": "web-app", "client_secret": "web-app-secret", "audience": "https://playground/api",
            "scope": scope}


def children_of(pid: int) -> list[int]:
    """The ids of a process's child processes."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def memory_line(pid: int) -> str:
    """The server's resident memory and its children's."""
    children = [resident_megabytes(child) for child in children_of(pid)]
    return (f"server RSS {resident_megabytes(pid):.0f} MB; Actions' child processes: {len(children)}, "
            f"RSS {' + '.join(f'{size:.0f}' for size in children) or '0'} MB (the V8 library's pages are shared)")


def log_in_until(url: str, scope: str, until: float, latencies: list[float], answers: Counter) -> None:
    """Log in back to back until `until`, noting each latency and answer."""
    with httpx.Client(timeout=60) as client:
        while time.monotonic() < until:
            started = time.perf_counter()
            response = client.post(url, data=token_form(scope))
            latencies.append(time.perf_counter() - started)
            body = response.json()
            answers[f"{response.status_code} {body.get('error_description', '')}".strip()] += 1


def hostile_until(url: str, until: float, answers: Counter) -> None:
    """Hostile logins, one kind after another, until `until`."""
    kinds = itertools.cycle(HOSTILE_KINDS)
    with httpx.Client(timeout=60) as client:
        while time.monotonic() < until:
            kind = next(kinds)
            response = client.post(url, data=token_form(f"openid hostile:{kind}"))
            answers[f"{kind}: {response.status_code} {response.json().get('error_description', '')}"] += 1


def phase(url: str, seconds: float, visitors: int, hostile: int) -> tuple[list[float], Counter, Counter]:
    """One phase: the visitors' latencies and answers, and the hostile logins' answers."""
    latencies: list[float] = []
    answers: Counter = Counter()
    hostile_answers: Counter = Counter()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=log_in_until, args=(url, "openid read:messages", until, latencies, answers))
               for _ in range(visitors)]
    threads += [threading.Thread(target=hostile_until, args=(url, until, hostile_answers)) for _ in range(hostile)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, answers, hostile_answers


def main() -> None:
    """Start the site, run a quiet phase and a hostile phase, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument("--visitors", type=int, default=4, help="threads of ordinary logins")
    parser.add_argument("--hostile", type=int, default=1, help="threads of hostile logins in the hostile phase")
    arguments = parser.parse_args()
    port = free_port()
    url = f"http://{HOST}:{port}/oauth/token"
    with tempfile.TemporaryDirectory() as data_dir:
        site = start_server(Path(data_dir), port, extra_env={"TENANT_ACTIONS": json.dumps([str(ACTION)])})
        try:
            httpx.post(url, data=token_form("openid"), timeout=60).raise_for_status()  # hash once, start a child
            print(f"after start-up and one login: {memory_line(site.pid)}")
            results = {}
            for name, hostile in (("quiet", 0), ("hostile", arguments.hostile)):
                results[name] = phase(url, arguments.seconds, arguments.visitors, hostile)
                latencies, answers, hostile_answers = results[name]
                print(f"{name:8} visitors: {len(latencies)} logins, p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
                      f"p99 {percentile(latencies, 0.99) * 1000:.0f} ms; answers {dict(answers)}")
                if hostile_answers:
                    print(f"         hostile logins: {dict(hostile_answers)}")
                print(f"         {memory_line(site.pid)}; server alive: {site.poll() is None}")
        finally:
            stop_server(site)
    quiet, hostile = results["quiet"][0], results["hostile"][0]
    print(f"ratio hostile : quiet, visitors' p50 {percentile(hostile, 0.5) / percentile(quiet, 0.5):.2f}, "
          f"p99 {percentile(hostile, 0.99) / percentile(quiet, 0.99):.2f}")


if __name__ == "__main__":
    main()
