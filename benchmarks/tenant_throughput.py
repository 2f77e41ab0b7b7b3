"""Benchmark: password-grant tokens per second and full code + PKCE flows per second, one uvicorn worker.

Run: python benchmarks/tenant_throughput.py [--seconds 10] [--concurrency 16] [--first-logins 200] [--actions-only]
The server runs in its own process; this process generates the load over loopback. Repeated logins of one user
are served from the tenant's memory of recent good logins; first logins pay for a full Argon2id check, and are
measured separately. Last, two servers, one running step 11's post-login Action and one running none, take turns
under the same load: their ratio is what the Action costs a login (`--actions-only` runs just that).
"""

import argparse
import asyncio
import base64
import hashlib
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tenant.actions.engine import ActionEngine, default_actions  # noqa: E402
from tests.local_server import free_port, start_server, stop_server  # noqa: E402

API = "https://playground/api"


def query_of(location: str) -> dict[str, str]:
    """The query parameters of a redirect."""
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


async def password_grant(client: httpx.AsyncClient, issuer: str) -> None:
    """One password-grant token request (access + ID token)."""
    response = await client.post(f"{issuer}oauth/token", data={
        "grant_type": "password", "username": "alice@example.com", "password": "alice-demo-1", "audience": API,
        "scope": "openid profile email read:messages", "client_id": "web-app", "client_secret": "web-app-secret"})
    response.raise_for_status()


async def code_flow(client: httpx.AsyncClient, issuer: str, base: str) -> None:
    """One whole authorization code + PKCE flow: authorize, login form, code exchange."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    redirect_uri = f"{base}/docs/oauth2-redirect"
    client.cookies.clear()
    response = await client.get(f"{issuer}authorize", params={
        "response_type": "code", "client_id": "swagger-ui", "redirect_uri": redirect_uri, "audience": API,
        "scope": "openid read:messages", "state": "s", "code_challenge": challenge, "code_challenge_method": "S256"})
    state = query_of(response.headers["location"])["state"]
    response = await client.post(f"{issuer}u/login", data={
        "state": state, "username": "alice@example.com", "password": "alice-demo-1"})
    location = response.headers["location"]
    if "/u/consent?" in location:  # the first flow on a loopback callback: Accept, as a user would, once
        response = await client.post(f"{issuer}u/consent", data={"state": query_of(location)["state"],
                                                                "action": "accept"})
        location = response.headers["location"]
    code = query_of(location)["code"]
    response = await client.post(f"{issuer}oauth/token", data={
        "grant_type": "authorization_code", "code": code, "client_id": "swagger-ui", "code_verifier": verifier,
        "redirect_uri": redirect_uri})
    response.raise_for_status()


async def first_logins(issuer: str, count: int, concurrency: int) -> float:
    """Sign up `count` users, then log each in once (a full Argon2id check each); print and return logins/s."""
    emails = [f"bench-{index}-{secrets.token_hex(4)}@example.com" for index in range(count)]
    limit = asyncio.Semaphore(concurrency)

    async def sign_up(client: httpx.AsyncClient, email: str) -> None:
        async with limit:
            response = await client.post(f"{issuer}dbconnections/signup", json={
                "client_id": "web-app", "email": email, "password": "Bench-pass-1",
                "connection": "Username-Password-Authentication"})
            response.raise_for_status()

    async def log_in(client: httpx.AsyncClient, email: str) -> None:
        async with limit:
            response = await client.post(f"{issuer}oauth/token", data={
                "grant_type": "password", "username": email, "password": "Bench-pass-1", "audience": API,
                "client_id": "web-app", "client_secret": "web-app-secret"})
            response.raise_for_status()

    async with httpx.AsyncClient(timeout=60) as client:
        await asyncio.gather(*(sign_up(client, email) for email in emails))
        started = time.perf_counter()
        await asyncio.gather(*(log_in(client, email) for email in emails))
    rate = count / (time.perf_counter() - started)
    print(f"{'first login of a user (Argon2id)':<34} {rate:8.1f}/s   ({count} users, {concurrency} clients)")
    return rate


async def measure(name: str, operation, seconds: float, concurrency: int) -> float:
    """Run `operation` from `concurrency` clients for `seconds`; print and return operations per second."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        async with httpx.AsyncClient(follow_redirects=False, timeout=30) as client:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                await operation(client)
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    rate = len(latencies) / elapsed
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000 if len(latencies) > 100 else max(latencies) * 1000
    print(f"{name:<34} {rate:8.1f}/s   p50 {statistics.median(latencies) * 1000:6.1f} ms   p99 {p99:6.1f} ms"
          f"   ({len(latencies)} in {elapsed:.1f} s, {concurrency} clients)")
    return rate


async def run(seconds: float, concurrency: int, first_login_count: int) -> None:
    """Start a one-worker server, warm it up, then measure."""
    with tempfile.TemporaryDirectory() as data_dir:
        port = free_port()
        process = start_server(Path(data_dir), port, workers=1)
        base = f"http://127.0.0.1:{port}"
        issuer = f"{base}/"
        try:
            async with httpx.AsyncClient() as client:
                await password_grant(client, issuer)
            tokens = await measure("password grant (tokens)", lambda c: password_grant(c, issuer), seconds, concurrency)
            flows = await measure("code + PKCE flow (3 requests)", lambda c: code_flow(c, issuer, base), seconds,
                                  concurrency)
            cold = await first_logins(issuer, first_login_count, concurrency)
            print(f"code flows per password-grant token: {flows / tokens:.2f}; "
                  f"first logins per repeated login: {cold / tokens:.2f}")
        finally:
            stop_server(process)
    await actions_cost(seconds, concurrency)


def engine_ms_per_run(runs: int = 500) -> float:
    """Milliseconds one run of step 11's Action takes in the tenant's engine (isolate already warm)."""
    engine = ActionEngine(default_actions())
    event = {"user": {"email": "alice@example.com", "email_verified": True}, "authorization": {"roles": []}}
    engine.run(event)
    started = time.perf_counter()
    for _ in range(runs):
        engine.run(event)
    elapsed = time.perf_counter() - started
    engine.close()
    return elapsed / runs * 1000


def server_rss_mb(pid: int) -> float:
    """Resident memory of the server process, in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def actions_cost(seconds: float, concurrency: int, rounds: int = 4) -> None:
    """What step 11's post-login Action costs a login: one server runs it, one runs none, measured in turns."""
    with tempfile.TemporaryDirectory() as with_dir, tempfile.TemporaryDirectory() as without_dir:
        ports = {"with the Action": free_port(), "without Actions": free_port()}
        servers = {"with the Action": start_server(Path(with_dir), ports["with the Action"]),
                   "without Actions": start_server(Path(without_dir), ports["without Actions"],
                                                   extra_env={"TENANT_ACTIONS": "[]"})}
        issuers = {name: f"http://127.0.0.1:{port}/" for name, port in ports.items()}
        rates: dict[str, list[float]] = {name: [] for name in servers}
        try:
            async with httpx.AsyncClient() as client:
                for issuer in issuers.values():
                    await password_grant(client, issuer)
            for _ in range(rounds):
                for name, issuer in issuers.items():
                    operation = lambda c, i=issuer: password_grant(c, i)  # noqa: E731
                    rates[name].append(await measure(f"password grant, {name}", operation, seconds / rounds,
                                                     concurrency))
            rss = {name: server_rss_mb(process.pid) for name, process in servers.items()}
        finally:
            for process in servers.values():
                stop_server(process)
    with_action, without = statistics.mean(rates["with the Action"]), statistics.mean(rates["without Actions"])
    print(f"step 11's Action alone, in this process: {engine_ms_per_run():.2f} ms per login")
    print(f"tokens/s with step 11's post-login Action per tokens/s without: {with_action / without:.2f} "
          f"(about {(1 / with_action - 1 / without) * 1000:.2f} ms of one worker per login); server RSS "
          f"{rss['with the Action']:.0f} MB with the Action's V8 isolate, {rss['without Actions']:.0f} MB without")


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--first-logins", type=int, default=200)
    parser.add_argument("--actions-only", action="store_true")
    arguments = parser.parse_args()
    if arguments.actions_only:
        asyncio.run(actions_cost(arguments.seconds, arguments.concurrency))
    else:
        asyncio.run(run(arguments.seconds, arguments.concurrency, arguments.first_logins))


if __name__ == "__main__":
    main()
