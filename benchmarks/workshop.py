"""Benchmark: a workshop room walking the whole journey at once against one uvicorn worker, in waves.

Run: python benchmarks/workshop.py [--attendees 100] [--waves 3] [--database-url URL]
The server runs as the Procfile runs it (proxy headers trusted); each attendee has their own cookie jar and their
own X-Forwarded-For, and walks: sign-up (POST /auth/signup), web login through the tenant's form, POST /auth/token,
/api/public, /api/secure, /api/scoped (403 for a new user: no read:messages), /api/claims, a Swagger sign-in
(authorization code + PKCE as client swagger-ui, code exchanged at /tenant/oauth/token) and logout. A 503 with
Retry-After is retried after the time it names, as a person told "try again in a few seconds" would; those answers
are counted as busy. It prints each step's successes, busy answers and p50/p95/p99, and each wave's wall time, the
server's RSS before and after it and the CPU time the server used (a figure less at the mercy of a busy machine).
"""

import argparse
import asyncio
import base64
import hashlib
import math
import re
import secrets
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from local_server import cpu_seconds, free_port, resident_megabytes, start_server, stop_server  # noqa: E402

API = "https://playground/api"
PASSWORD = "Workshop-pass-1"
MAX_BUSY_RETRIES = 10
STATE_FIELD = re.compile(r'name="state" value="([^"]+)"')
API_CALLS = (("/api/public", 200), ("/api/secure", 200), ("/api/scoped", 403), ("/api/claims", 200))
STEPS = ("sign-up", "web login", "POST /auth/token", *(path for path, _ in API_CALLS), "Swagger sign-in", "logout")


class StepFailed(Exception):
    """A step ended with an answer other than the expected one."""


@dataclass
class Results:
    """Per step: seconds taken by each success, failures by reason, busy (503) answers retried, requests resent."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    busy: Counter = field(default_factory=Counter)
    resent: Counter = field(default_factory=Counter)
    not_reached: Counter = field(default_factory=Counter)


@dataclass
class Attendee:
    """One person in the room: a cookie jar, an address, an email, and the results to write to."""

    client: httpx.AsyncClient
    base: str
    email: str
    results: Results
    step: str = ""

    async def send(self, method: str, url: str, expected: int | tuple[int, ...], **options) -> httpx.Response:
        """One request, retried after Retry-After while it answers 503; StepFailed unless the status is expected."""
        for _ in range(MAX_BUSY_RETRIES):
            try:
                response = await self.client.request(method, url, **options)
            except httpx.RemoteProtocolError:
                # A kept-alive connection closed by the server as it was reused: browsers send the request again.
                self.results.resent[self.step] += 1
                response = await self.client.request(method, url, **options)
            if response.status_code != 503 or "retry-after" not in response.headers:
                break
            self.results.busy[self.step] += 1
            await asyncio.sleep(float(response.headers["retry-after"]))
        if response.status_code not in ((expected,) if isinstance(expected, int) else expected):
            raise StepFailed(f"{method} {urlsplit(url).path} answered {response.status_code}")
        return response

    async def sign_up(self) -> None:
        """POST /auth/signup with a new email."""
        await self.send("POST", "/auth/signup", 201, json={"email": self.email, "password": PASSWORD})

    async def web_login(self) -> None:
        """/auth/login, the tenant's form, /auth/callback: ends on /profile."""
        form = await self.send("GET", "/auth/login", 200, follow_redirects=True)
        state = STATE_FIELD.search(form.text)
        if state is None:
            raise StepFailed("the tenant's login form has no state")
        profile = await self.send("POST", "/tenant/u/login", 200, follow_redirects=True,
                                  data={"state": state.group(1), "username": self.email, "password": PASSWORD})
        if profile.url.path == "/tenant/u/consent":  # a new user on a loopback site: Accept, once
            profile = await self.send("POST", "/tenant/u/consent", 200, follow_redirects=True,
                                      data={"state": profile.url.params["state"], "action": "accept"})
        if profile.url.path != "/profile" or self.email not in profile.text:
            raise StepFailed(f"the login ended on {profile.url.path}")

    async def password_token(self) -> str:
        """POST /auth/token: the access token."""
        response = await self.send("POST", "/auth/token", 200, json={"email": self.email, "password": PASSWORD})
        return response.json()["data"]

    async def swagger_sign_in(self) -> None:
        """Authorization code + PKCE as Swagger UI does it; the tenant's form when it asks; the code exchanged."""
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        redirect_uri = f"{self.base}/docs/oauth2-redirect"
        state = secrets.token_urlsafe(12)
        response = await self.send("GET", "/tenant/authorize", 302, params={
            "response_type": "code", "client_id": "swagger-ui", "redirect_uri": redirect_uri, "audience": API,
            "scope": "openid profile email read:messages", "state": state, "code_challenge": challenge,
            "code_challenge_method": "S256"})
        location = response.headers["location"]
        if "/u/login" in location:
            login_state = query_of(location)["state"]
            response = await self.send("POST", "/tenant/u/login", 302, data={
                "state": login_state, "username": self.email, "password": PASSWORD})
            location = response.headers["location"]
        if "/u/consent?" in location:
            response = await self.send("POST", "/tenant/u/consent", 302, data={
                "state": query_of(location)["state"], "action": "accept"})
            location = response.headers["location"]
        answer = query_of(location)
        if answer.get("state") != state or "code" not in answer:
            raise StepFailed(f"/tenant/authorize sent back {sorted(answer)}")
        tokens = await self.send("POST", "/tenant/oauth/token", 200, data={
            "grant_type": "authorization_code", "client_id": "swagger-ui", "code": answer["code"],
            "code_verifier": verifier, "redirect_uri": redirect_uri})
        if not tokens.json().get("access_token"):
            raise StepFailed("no access token")

    async def logout(self) -> None:
        """/auth/logout through the tenant's /v2/logout, back on the home page."""
        response = await self.send("GET", "/auth/logout", 200, follow_redirects=True)
        if response.url.path != "/" or "auth0" in self.client.cookies:
            raise StepFailed("still signed in to the tenant")

    async def timed(self, step: str, action: Callable[[], Awaitable[object]]) -> object:
        """Run one step, recording its time or its failure."""
        self.step = step
        started = time.perf_counter()
        try:
            result = await action()
        except (StepFailed, httpx.HTTPError, KeyError, ValueError) as error:
            self.results.failures[step][str(error) or type(error).__name__] += 1
            raise StepFailed(step) from error
        self.results.seconds[step].append(time.perf_counter() - started)
        return result

    async def walk(self) -> None:
        """The whole journey; a failed step ends it (the steps after it count as not reached)."""
        done = 0
        try:
            await self.timed("sign-up", self.sign_up)
            done += 1
            await self.timed("web login", self.web_login)
            done += 1
            token = await self.timed("POST /auth/token", self.password_token)
            done += 1
            for path, status in API_CALLS:
                bearer = {"Authorization": f"Bearer {token}"}
                await self.timed(path, lambda: self.send("GET", path, status, headers=bearer))
                done += 1
            await self.timed("Swagger sign-in", self.swagger_sign_in)
            done += 1
            await self.timed("logout", self.logout)
        except StepFailed:
            for step in STEPS[done + 1:]:
                self.results.not_reached[step] += 1


def query_of(location: str) -> dict[str, str]:
    """The query parameters of a redirect."""
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of `values`."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


async def run_wave(base: str, wave: int, attendees: int, results: Results) -> None:
    """`attendees` people starting the journey at the same moment, each from their own address."""

    async def one(index: int) -> None:
        address = f"10.{wave}.{index // 250}.{index % 250 + 1}"
        email = f"attendee-{wave}-{index}-{secrets.token_hex(3)}@example.com"
        # Idle connections are dropped before uvicorn's 5 s keep-alive ends, as browsers avoid that race.
        limits = httpx.Limits(keepalive_expiry=2)
        async with httpx.AsyncClient(base_url=base, headers={"X-Forwarded-For": address}, timeout=120,
                                     limits=limits) as client:
            await Attendee(client, base, email, results).walk()

    await asyncio.gather(*(one(index) for index in range(attendees)))


def report(results: Results, attendees: int) -> None:
    """Per step: successes, busy answers, failures and latency percentiles."""
    print(f"\n{'step':<18} {'ok':>8} {'busy':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for step in STEPS:
        seconds = results.seconds[step]
        figures = "".join(f" {percentile(seconds, p) * 1000:8.0f}" for p in (0.5, 0.95, 0.99)) if seconds else ""
        print(f"{step:<18} {len(seconds):>4}/{attendees:<3} {results.busy[step]:>5}{figures}")
    failed = sum(sum(reasons.values()) for reasons in results.failures.values())
    print(f"failed steps: {failed}; steps not reached after a failure: {sum(results.not_reached.values())}; "
          f"requests resent on a closed keep-alive connection: {sum(results.resent.values())}")
    for step, reasons in results.failures.items():
        for reason, count in reasons.most_common(3):
            print(f"  {step}: {count} x {reason}")


async def run(attendees: int, waves: int, database_url: str | None) -> None:
    """Start one worker as the Procfile does, run the waves, print the figures."""
    with tempfile.TemporaryDirectory() as data_dir:
        port = free_port()
        process = start_server(Path(data_dir), port, behind_proxy=True,
                               extra_env={"DATABASE_URL": database_url} if database_url else None)
        base = f"http://127.0.0.1:{port}"
        results = Results()
        try:
            print(f"one uvicorn worker on {'PostgreSQL' if database_url else 'SQLite'}; "
                  f"{waves} waves of {attendees} attendees")
            started = time.perf_counter()
            for wave in range(1, waves + 1):
                before, cpu_before = resident_megabytes(process.pid), cpu_seconds(process.pid)
                wave_started = time.perf_counter()
                await run_wave(base, wave, attendees, results)
                after, cpu = resident_megabytes(process.pid), cpu_seconds(process.pid) - cpu_before
                print(f"wave {wave}: {time.perf_counter() - wave_started:6.1f} s   "
                      f"server RSS {before:.0f} MB -> {after:.0f} MB   server CPU {cpu:.1f} s")
            print(f"wall time: {time.perf_counter() - started:.1f} s")
            report(results, attendees * waves)
        finally:
            stop_server(process)


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=100, help="attendees per wave")
    parser.add_argument("--waves", type=int, default=3)
    parser.add_argument("--database-url", help="run the server with this DATABASE_URL (PostgreSQL)")
    arguments = parser.parse_args()
    asyncio.run(run(arguments.attendees, arguments.waves, arguments.database_url))


if __name__ == "__main__":
    main()
