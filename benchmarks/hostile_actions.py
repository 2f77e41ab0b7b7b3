"""Other visitors' logins and the server's memory while hostile post-login Actions run, beside a quiet run.

Usage: python benchmarks/hostile_actions.py [--seconds 20] [--visitors 4] [--hostile 1]

The site runs on the built-in tenant with benchmarks/actions/hostile.js as its Action. In each phase `--visitors`
threads log in with the password grant back to back (alice's password is remembered after the first, so no hash).
Beside them, `--hostile` more threads: in the "operator" phase they log in asking the operator's Action to loop
forever, allocate 1 GB or without end, or leave a storm of timers, in turn; in the "editor" phase, signed-in
visitors send the same code to the Actions editor's Test (/actions/test); in the "deployed" phase, visitors who
deployed it for their own logins log in. It prints the visitors' p50/p99 per phase and their ratio to the quiet
phase, what the hostile runs got, and the resident memory of the server and of its Actions' child processes.
"""

import argparse
from contextlib import closing
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
from tests.login.tenant_form import log_in  # noqa: E402

ACTION = ROOT / "benchmarks" / "actions" / "hostile.js"
HOSTILE_KINDS = ("loop", "memory", "gigabyte", "timers")
HOSTILE_PASSWORD = "Hostile-visitor-1"
OPERATOR_SECRETS = {"HOSTILE_PREFIX": "hostile:"}


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


def hostile_visitor(site: str, number: int) -> tuple[httpx.Client, str, str]:
    """A new user signed in on the site: their client, email and the editor's CSRF token."""
    email = f"hostile-{number}-{time.time_ns()}@example.com"
    httpx.post(f"{site}/dbconnections/signup", json={
        "client_id": "web-app", "connection": "Username-Password-Authentication", "email": email,
        "password": HOSTILE_PASSWORD}, timeout=60).raise_for_status()
    client = httpx.Client(base_url=site, timeout=60)
    log_in(client, email, HOSTILE_PASSWORD, start="/auth/login?returnTo=/actions")
    csrf = client.get("/actions").text.split('data-csrf="', 1)[1].split('"', 1)[0]
    return client, email, csrf


def editor_tests_until(site: str, number: int, until: float, answers: Counter) -> None:
    """A signed-in visitor presses Test on hostile code, one kind after another, until `until`."""
    client, _, csrf = hostile_visitor(site, number)
    source = ACTION.read_text(encoding="utf-8")
    kinds = itertools.cycle(HOSTILE_KINDS)
    with closing(client):
        event = {"user": {"user_id": "auth0|x", "email": "x@example.com"}, "request": {"ip": "127.0.0.1"}}
        while time.monotonic() < until:
            kind = next(kinds)
            event["transaction"] = {"requested_scopes": [f"visitor:{kind}"]}
            run = client.post("/actions/test", json={"source": source, "event": event},
                              headers={"x-csrf-token": csrf}).json()
            answers[f"test {kind}: {run.get('outcome')} {run.get('description', '')}".strip()] += 1


def deployed_logins_until(site: str, number: int, until: float, answers: Counter) -> None:
    """A visitor deploys the hostile Action for their own logins, then logs in asking for each kind in turn."""
    client, email, csrf = hostile_visitor(site, number)
    with closing(client):
        client.post("/actions/deploy", json={"name": "hostile", "source": ACTION.read_text(encoding="utf-8")},
                    headers={"x-csrf-token": csrf}).raise_for_status()
        kinds = itertools.cycle(HOSTILE_KINDS)
        while time.monotonic() < until:
            kind = next(kinds)
            form = {**token_form(f"openid visitor:{kind}"), "username": email, "password": HOSTILE_PASSWORD}
            response = client.post("/oauth/token", data=form)
            answers[f"login {kind}: {response.status_code} {response.json().get('error_description', '')}"] += 1


def operator_hostile_until(site: str, number: int, until: float, answers: Counter) -> None:
    """Hostile logins through the operator's Action."""
    hostile_until(f"{site}/oauth/token", until, answers)


HOSTILE_PHASES = {"operator": operator_hostile_until, "editor": editor_tests_until,
                  "deployed": deployed_logins_until}


def phase(site: str, seconds: float, visitors: int, hostile: int,
          attack=None) -> tuple[list[float], Counter, Counter]:
    """One phase: the visitors' latencies and answers, and the hostile runs' answers."""
    url = f"{site}/oauth/token"
    latencies: list[float] = []
    answers: Counter = Counter()
    hostile_answers: Counter = Counter()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=log_in_until, args=(url, "openid read:messages", until, latencies, answers))
               for _ in range(visitors)]
    if attack is not None:
        threads += [threading.Thread(target=attack, args=(site, number, until, hostile_answers))
                    for number in range(hostile)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, answers, hostile_answers


def main() -> None:
    """Start the site, run a quiet phase and each hostile phase, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument("--visitors", type=int, default=4, help="threads of ordinary logins")
    parser.add_argument("--hostile", type=int, default=1, help="hostile threads in each hostile phase")
    arguments = parser.parse_args()
    port = free_port()
    site = f"http://{HOST}:{port}"
    with tempfile.TemporaryDirectory() as data_dir:
        server = start_server(Path(data_dir), port, extra_env={"TENANT_ACTIONS": json.dumps([str(ACTION)]),
                                                               "TENANT_ACTION_SECRETS": json.dumps(OPERATOR_SECRETS)})
        try:
            httpx.post(f"{site}/oauth/token", data=token_form("openid"), timeout=60).raise_for_status()
            print(f"after start-up and one login: {memory_line(server.pid)}")
            results = {}
            for name, attack in (("quiet", None), *HOSTILE_PHASES.items()):
                results[name] = phase(site, arguments.seconds, arguments.visitors, arguments.hostile, attack)
                latencies, answers, hostile_answers = results[name]
                print(f"{name:8} visitors: {len(latencies)} logins, p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
                      f"p99 {percentile(latencies, 0.99) * 1000:.0f} ms; answers {dict(answers)}")
                if hostile_answers:
                    print(f"         hostile runs: {dict(hostile_answers)}")
                print(f"         {memory_line(server.pid)}; server alive: {server.poll() is None}")
        finally:
            stop_server(server)
    quiet = results["quiet"][0]
    for name in HOSTILE_PHASES:
        hostile = results[name][0]
        print(f"ratio {name} : quiet, visitors' p50 {percentile(hostile, 0.5) / percentile(quiet, 0.5):.2f}, "
              f"p99 {percentile(hostile, 0.99) / percentile(quiet, 0.99):.2f}")


if __name__ == "__main__":
    main()
