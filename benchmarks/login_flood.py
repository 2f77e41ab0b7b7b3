"""Benchmark: a flood of wrong logins against one uvicorn worker: server memory, and how valid logins fare meanwhile.

Run: python benchmarks/login_flood.py [--clients 128] [--addresses 1] [--seconds 15] [--database-url URL]
From a second process, each flooding client sends password-grant requests for unknown emails (so no lockout
applies), as fast as the server answers (ignoring Retry-After, as a hostile client would), all from `--addresses`
X-Forwarded-For addresses (1: one address floods; as many as clients: a flood from everywhere). First, with no flood,
then meanwhile, every half second, a user signed up before a restart logs in for the first time (a full Argon2id
check) and alice logs in again (remembered): as many logins quiet as under the flood, so that their p99s compare
like with like. It prints the server's RSS before and after, the flood's answers by
status, the valid logins' statuses and latencies, quiet and under the flood, and the ratio of their p99s.
"""

import argparse
import asyncio
import math
import multiprocessing
import secrets
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.local_server import free_port, resident_megabytes, start_server, stop_server  # noqa: E402

API = "https://playground/api"
PASSWORD = "Flood-pass-1"
LOGINS_PER_SECOND = 2


def password_form(email: str, password: str) -> dict[str, str]:
    """A password-grant request of the site's web client."""
    return {"grant_type": "password", "username": email, "password": password, "audience": API,
            "client_id": "web-app", "client_secret": "web-app-secret"}


def flood_address(number: int) -> str:
    """The simulated address of the flood's `number`-th address."""
    return f"10.66.{number // 250}.{number % 250 + 1}"


async def flood(client: httpx.AsyncClient, issuer: str, address: str, until: float, statuses: Counter) -> None:
    """Wrong logins for unknown emails, back to back, from one simulated address."""
    while time.perf_counter() < until:
        email = f"nobody-{secrets.token_hex(6)}@example.com"
        try:
            response = await client.post(f"{issuer}oauth/token", data=password_form(email, "Wrong-pass-1"),
                                         headers={"X-Forwarded-For": address})
            statuses[response.status_code] += 1
        except httpx.HTTPError as error:
            statuses[type(error).__name__] += 1


async def all_flooding(issuer: str, clients: int, addresses: int, seconds: float) -> Counter:
    """`clients` flooding clients from `addresses` addresses for `seconds`: the answers they got, by status."""
    statuses: Counter = Counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        until = time.perf_counter() + seconds
        await asyncio.gather(*(flood(client, issuer, flood_address(number % addresses), until, statuses)
                               for number in range(clients)))
    return statuses


def flood_process(issuer: str, clients: int, addresses: int, seconds: float) -> Counter:
    """The flood, run in its own process so that the valid logins are timed by an unburdened client."""
    return asyncio.run(all_flooding(issuer, clients, addresses, seconds))


async def timed_login(client: httpx.AsyncClient, issuer: str, email: str, password: str) -> tuple[int, float]:
    """One valid password-grant login: its status and seconds taken."""
    started = time.perf_counter()
    response = await client.post(f"{issuer}oauth/token", data=password_form(email, password),
                                 headers={"X-Forwarded-For": "192.0.2.1"})
    return response.status_code, time.perf_counter() - started


def summary(name: str, results: list[tuple[int, float]]) -> str:
    """Statuses and latency of a series of logins."""
    if not results:
        return f"{name:<30} none"
    latencies = sorted(seconds for _, seconds in results)
    statuses = Counter(status for status, _ in results)
    return (f"{name:<38} {dict(statuses)}   p50 {statistics.median(latencies) * 1000:7.0f} ms"
            f"   p99 {p99(results) * 1000:7.0f} ms   max {latencies[-1] * 1000:7.0f} ms")


def p99(results: list[tuple[int, float]]) -> float:
    """The nearest-rank 99th percentile of the latencies."""
    latencies = sorted(seconds for _, seconds in results)
    return latencies[max(0, math.ceil(0.99 * len(latencies)) - 1)]


async def valid_logins(client: httpx.AsyncClient, issuer: str, emails: list[str], until_done: Callable[[], bool],
                       first: list[tuple[int, float]], again: list[tuple[int, float]]) -> None:
    """Every half second until `until_done()`: a first login (a full hash) and a remembered one."""
    while not until_done() and emails:
        await asyncio.sleep(1 / LOGINS_PER_SECOND)
        first.append(await timed_login(client, issuer, emails.pop(), PASSWORD))
        again.append(await timed_login(client, issuer, "alice@example.com", "alice-demo-1"))


async def sign_up(issuer: str, emails: list[str]) -> None:
    """Create the users who will log in during the flood."""
    async with httpx.AsyncClient(timeout=120) as client:
        for email in emails:
            (await client.post(f"{issuer}dbconnections/signup", json={
                "client_id": "web-app", "email": email, "password": PASSWORD,
                "connection": "Username-Password-Authentication"})).raise_for_status()


async def run(clients: int, addresses: int, seconds: float, database_url: str | None) -> None:
    """Sign up the valid users, restart the server (so that none is remembered), time logins quiet, then flooded."""
    with tempfile.TemporaryDirectory() as data_dir:
        port = free_port()
        issuer = f"http://127.0.0.1:{port}/"
        extra_env = {"DATABASE_URL": database_url} if database_url else None
        quiet_logins = int(seconds * LOGINS_PER_SECOND)
        emails = [f"valid-{index}-{secrets.token_hex(4)}@example.com"
                  for index in range(quiet_logins + int(seconds * LOGINS_PER_SECOND) + 5)]
        process = start_server(Path(data_dir), port, behind_proxy=True, extra_env=extra_env)
        try:
            await sign_up(issuer, emails)
        finally:
            stop_server(process)
        process = start_server(Path(data_dir), port, behind_proxy=True, extra_env=extra_env)
        try:
            async with httpx.AsyncClient(timeout=120) as client:
                await timed_login(client, issuer, "alice@example.com", "alice-demo-1")
                quiet_first: list[tuple[int, float]] = []
                quiet_again: list[tuple[int, float]] = []
                await valid_logins(client, issuer, emails, lambda: len(quiet_first) >= quiet_logins, quiet_first,
                                   quiet_again)
                before = resident_megabytes(process.pid)
                first: list[tuple[int, float]] = []
                again: list[tuple[int, float]] = []
                with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as flooder:
                    flooding = asyncio.get_running_loop().run_in_executor(
                        flooder, flood_process, issuer, clients, addresses, seconds)
                    started = time.perf_counter()
                    await valid_logins(client, issuer, emails, flooding.done, first, again)
                    statuses = await flooding
                elapsed = time.perf_counter() - started
                after = resident_megabytes(process.pid)
            print(f"flood: {clients} clients from {addresses} address(es) for {seconds:g} s: "
                  f"{sum(statuses.values())} answers {dict(statuses)}")
            print(summary("quiet: valid first login (Argon2id)", quiet_first))
            print(summary("quiet: valid repeated login", quiet_again))
            print(summary("flood: valid first login (Argon2id)", first))
            print(summary("flood: valid repeated login", again))
            if first and quiet_first:
                print(f"first login p99, flood : quiet = {p99(first) / p99(quiet_first):.2f} (aim <= 2)")
            print(f"server RSS: {before:.0f} MB before, {after:.0f} MB after ({elapsed:.0f} s)")
        finally:
            stop_server(process)


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=128)
    parser.add_argument("--addresses", type=int, default=1, help="addresses the flood comes from")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--database-url", help="run the server with this DATABASE_URL (PostgreSQL)")
    arguments = parser.parse_args()
    asyncio.run(run(arguments.clients, arguments.addresses, arguments.seconds, arguments.database_url))


if __name__ == "__main__":
    main()
