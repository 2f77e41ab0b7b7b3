"""Benchmark: a flood of wrong logins against one uvicorn worker: server memory, and how valid logins fare meanwhile.

Run: python benchmarks/login_flood.py [--clients 128] [--seconds 15] [--database-url URL]
From a second process, each flooding client sends password-grant requests for unknown emails (so no lockout
applies), each with its own X-Forwarded-For, as fast as the server answers (ignoring Retry-After, as a hostile
client would). Meanwhile, every half second until the flood ends, a user signed up before a restart logs in for
the first time (a full Argon2id check) and alice logs in again (remembered). It prints the server's RSS before and
after, the flood's answers by status, and the valid logins' statuses and latencies.
"""

import argparse
import asyncio
import multiprocessing
import secrets
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.local_server import free_port, resident_megabytes, start_server, stop_server  # noqa: E402

API = "https://playground/api"
PASSWORD = "Flood-pass-1"


def password_form(email: str, password: str) -> dict[str, str]:
    """A password-grant request of the site's web client."""
    return {"grant_type": "password", "username": email, "password": password, "audience": API,
            "client_id": "web-app", "client_secret": "web-app-secret"}


async def flood(client: httpx.AsyncClient, issuer: str, until: float, statuses: Counter) -> None:
    """Wrong logins for unknown emails, back to back, from one simulated address."""
    address = f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(256)}"
    while time.perf_counter() < until:
        email = f"nobody-{secrets.token_hex(6)}@example.com"
        try:
            response = await client.post(f"{issuer}oauth/token", data=password_form(email, "Wrong-pass-1"),
                                         headers={"X-Forwarded-For": address})
            statuses[response.status_code] += 1
        except httpx.HTTPError as error:
            statuses[type(error).__name__] += 1


async def all_flooding(issuer: str, clients: int, seconds: float) -> Counter:
    """`clients` flooding clients for `seconds`: the answers they got, by status."""
    statuses: Counter = Counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        until = time.perf_counter() + seconds
        await asyncio.gather(*(flood(client, issuer, until, statuses) for _ in range(clients)))
    return statuses


def flood_process(issuer: str, clients: int, seconds: float) -> Counter:
    """The flood, run in its own process so that the valid logins are timed by an unburdened client."""
    return asyncio.run(all_flooding(issuer, clients, seconds))


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
    return (f"{name:<30} {dict(statuses)}   p50 {statistics.median(latencies) * 1000:7.0f} ms"
            f"   max {latencies[-1] * 1000:7.0f} ms")


async def sign_up(issuer: str, emails: list[str]) -> None:
    """Create the users who will log in during the flood."""
    async with httpx.AsyncClient(timeout=120) as client:
        for email in emails:
            (await client.post(f"{issuer}dbconnections/signup", json={
                "client_id": "web-app", "email": email, "password": PASSWORD,
                "connection": "Username-Password-Authentication"})).raise_for_status()


async def run(clients: int, seconds: float, database_url: str | None) -> None:
    """Sign up the valid users, restart the server (so that none is remembered), flood it, print the figures."""
    with tempfile.TemporaryDirectory() as data_dir:
        port = free_port()
        issuer = f"http://127.0.0.1:{port}/"
        extra_env = {"DATABASE_URL": database_url} if database_url else None
        emails = [f"valid-{index}-{secrets.token_hex(4)}@example.com" for index in range(int(seconds * 4))]
        process = start_server(Path(data_dir), port, behind_proxy=True, extra_env=extra_env)
        try:
            await sign_up(issuer, emails)
        finally:
            stop_server(process)
        process = start_server(Path(data_dir), port, behind_proxy=True, extra_env=extra_env)
        try:
            async with httpx.AsyncClient(timeout=120) as client:
                await timed_login(client, issuer, "alice@example.com", "alice-demo-1")
                before = resident_megabytes(process.pid)
                first: list[tuple[int, float]] = []
                again: list[tuple[int, float]] = []
                with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as flooder:
                    flooding = asyncio.get_running_loop().run_in_executor(
                        flooder, flood_process, issuer, clients, seconds)
                    started = time.perf_counter()
                    while not flooding.done() and emails:
                        await asyncio.sleep(0.5)
                        first.append(await timed_login(client, issuer, emails.pop(), PASSWORD))
                        again.append(await timed_login(client, issuer, "alice@example.com", "alice-demo-1"))
                    statuses = await flooding
                elapsed = time.perf_counter() - started
                after = resident_megabytes(process.pid)
            print(f"flood: {clients} clients for {seconds:g} s: {sum(statuses.values())} answers {dict(statuses)}")
            print(summary("valid first login (Argon2id)", first))
            print(summary("valid repeated login", again))
            print(f"server RSS: {before:.0f} MB before, {after:.0f} MB after ({elapsed:.0f} s)")
        finally:
            stop_server(process)


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=128)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--database-url", help="run the server with this DATABASE_URL (PostgreSQL)")
    arguments = parser.parse_args()
    asyncio.run(run(arguments.clients, arguments.seconds, arguments.database_url))


if __name__ == "__main__":
    main()
