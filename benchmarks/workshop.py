"""Benchmark: a workshop room walking the whole journey at once against one uvicorn worker, in waves.

Run: python benchmarks/workshop.py [--attendees 100] [--waves 3] [--database-url URL] [--recording on|off|compare]
The server runs as the Procfile runs it (proxy headers trusted); each attendee has their own cookie jar and their
own X-Forwarded-For, says what a browser says (Sec-Fetch-Site: same-origin, the step's page as Referer for API calls,
so that the room records them as it records a browser's) and walks: sign-up (POST /auth/signup), web login through
the tenant's form, POST /auth/token,
/api/public, /api/secure, /api/scoped (403 for a new user: no read:messages), /api/claims, a Swagger sign-in
(authorization code + PKCE as client swagger-ui, code exchanged at /oauth/token) and logout. A 503 with
Retry-After is retried after the time it names, as a person told "try again in a few seconds" would; those answers
are counted as busy. It prints each step's successes, busy answers and p50/p95/p99, each step's p99 against the
hashing floor of a wave (attendees x one Argon2id hash, timed here, / the hash threads the server runs on this
machine's usable CPUs), and each wave's wall time, the server's RSS before and after it and the CPU time the server
used (a figure less at the mercy of a busy machine).

`--recording compare` measures what recording visits for the instructor's room costs: `--rounds` rounds per mode,
alternating (on, off, on, off...) so that the machine's noise falls on both, each against a fresh server with
ROOM_ENABLED=true or false. It prints each mode's figures as above, then per step p50/p95 on and off with their
on:off ratios, failed steps, the server's RSS at start and after each wave, CPU per attendee, and how fast /room/feed
answers the instructor over the room the on rounds recorded.
"""

import argparse
import asyncio
import base64
import hashlib
import json
import math
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import httpx
from multidict import CIMultiDictProxy
from yarl import URL

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tenant.security.cpus import hash_threads  # noqa: E402
from tenant.security.passwords import HASHER  # noqa: E402
from tests.local_server import cpu_seconds, free_port, resident_megabytes, start_server, stop_server  # noqa: E402

API = "https://playground/api"
PASSWORD = "Workshop-pass-1"
MAX_BUSY_RETRIES = 10
STATE_FIELD = re.compile(r'name="state" value="([^"]+)"')
API_CALLS = (("/api/public", 200), ("/api/secure", 200), ("/api/scoped", 403), ("/api/claims", 200))
STEPS = ("sign-up", "web login", "POST /auth/token", *(path for path, _ in API_CALLS), "Swagger sign-in", "logout")
# What a browser sends on this site's own pages and fetches: the room records such requests.
BROWSER_HEADERS = {"Sec-Fetch-Site": "same-origin"}
API_PAGE = "/tutorials/protect-an-api"
INSTRUCTOR = ("admin@example.com", "admin-demo-1")
FEED_REQUESTS = 20
FLOOR_SAMPLES = 7
HASHED_STEPS = ("sign-up",)


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


@dataclass(frozen=True)
class Reply:
    """What a browser keeps of an answer: status, headers, the final URL and the body."""

    status_code: int
    headers: CIMultiDictProxy[str]
    url: URL
    text: str

    def json(self) -> dict:
        """The body as JSON."""
        return json.loads(self.text)


@dataclass
class Attendee:
    """One person in the room: a browser (aiohttp session), an address, an email, and the results to write to."""

    client: aiohttp.ClientSession
    base: str
    email: str
    results: Results
    step: str = ""

    async def request(self, method: str, url: str, follow_redirects: bool = False, **options) -> Reply:
        """One request (redirects followed when asked), its body read."""
        async with self.client.request(method, url, allow_redirects=follow_redirects, **options) as response:
            return Reply(response.status, response.headers, response.url, await response.text())

    async def send(self, method: str, url: str, expected: int | tuple[int, ...], **options) -> Reply:
        """One request, retried after Retry-After while it answers 503; StepFailed unless the status is expected."""
        for _ in range(MAX_BUSY_RETRIES):
            try:
                response = await self.request(method, url, **options)
            except aiohttp.ServerDisconnectedError:
                # A kept-alive connection closed by the server as it was reused: browsers send the request again.
                self.results.resent[self.step] += 1
                response = await self.request(method, url, **options)
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
        profile = await self.send("POST", "/u/login", 200, follow_redirects=True,
                                  data={"state": state.group(1), "username": self.email, "password": PASSWORD})
        if profile.url.path == "/u/consent":  # a new user on a loopback site: Accept, once
            profile = await self.send("POST", "/u/consent", 200, follow_redirects=True,
                                      data={"state": profile.url.query["state"], "action": "accept"})
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
        response = await self.send("GET", "/authorize", 302, params={
            "response_type": "code", "client_id": "swagger-ui", "redirect_uri": redirect_uri, "audience": API,
            "scope": "openid profile email read:messages", "state": state, "code_challenge": challenge,
            "code_challenge_method": "S256"})
        location = response.headers["location"]
        if "/u/login" in location:
            login_state = query_of(location)["state"]
            response = await self.send("POST", "/u/login", 302, data={
                "state": login_state, "username": self.email, "password": PASSWORD})
            location = response.headers["location"]
        if "/u/consent?" in location:
            response = await self.send("POST", "/u/consent", 302, data={
                "state": query_of(location)["state"], "action": "accept"})
            location = response.headers["location"]
        answer = query_of(location)
        if answer.get("state") != state or "code" not in answer:
            raise StepFailed(f"/authorize sent back {sorted(answer)}")
        tokens = await self.send("POST", "/oauth/token", 200, data={
            "grant_type": "authorization_code", "client_id": "swagger-ui", "code": answer["code"],
            "code_verifier": verifier, "redirect_uri": redirect_uri})
        if not tokens.json().get("access_token"):
            raise StepFailed("no access token")

    async def logout(self) -> None:
        """/auth/logout through the tenant's /v2/logout, back on the home page."""
        response = await self.send("GET", "/auth/logout", 200, follow_redirects=True)
        if response.url.path != "/" or any(cookie.key == "auth0" for cookie in self.client.cookie_jar):
            raise StepFailed("still signed in to the tenant")

    async def timed(self, step: str, action: Callable[[], Awaitable[object]]) -> object:
        """Run one step, recording its time or its failure."""
        self.step = step
        started = time.perf_counter()
        try:
            result = await action()
        except (StepFailed, aiohttp.ClientError, asyncio.TimeoutError, KeyError, ValueError) as error:
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
                bearer = {"Authorization": f"Bearer {token}", "Referer": f"{self.base}{API_PAGE}"}
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


def attendee_client(base: str, wave: int, index: int) -> aiohttp.ClientSession:
    """An attendee's browser: their own address and cookie jar (cookies of an IP-addressed host kept)."""
    headers = {"X-Forwarded-For": f"10.{wave}.{index // 250}.{index % 250 + 1}", **BROWSER_HEADERS}
    # Idle connections are dropped before uvicorn's 5 s keep-alive ends, as browsers avoid that race.
    connector = aiohttp.TCPConnector(keepalive_timeout=2)
    return aiohttp.ClientSession(base, headers=headers, connector=connector, cookie_jar=aiohttp.CookieJar(unsafe=True),
                                 timeout=aiohttp.ClientTimeout(total=120))


async def run_wave(base: str, wave: int, attendees: int, results: Results) -> None:
    """`attendees` people starting the journey at the same moment, each from their own address."""
    clients = [attendee_client(base, wave, index) for index in range(attendees)]  # browsers open before "go"

    async def one(index: int, client: aiohttp.ClientSession) -> None:
        email = f"attendee-{wave}-{index}-{secrets.token_hex(3)}@example.com"
        async with client:
            await Attendee(client, base, email, results).walk()

    await asyncio.gather(*(one(index, client) for index, client in enumerate(clients)))


def seconds_per_hash() -> float:
    """The median time of one Argon2id hash at the tenant's parameters, timed here on one thread."""
    timings = []
    for number in range(FLOOR_SAMPLES):
        started = time.perf_counter()
        HASHER.hash(f"Floor-pass-{number}")
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


@dataclass(frozen=True)
class Floor:
    """The hashing floor of a wave: every sign-up's hash on the server's hash threads, back to back."""

    attendees: int
    hash_seconds: float
    threads: int

    @property
    def seconds(self) -> float:
        """N x hash time / hash threads."""
        return self.attendees * self.hash_seconds / self.threads

    def describe(self) -> str:
        """The floor and how it was reckoned."""
        return (f"hashing floor: {self.attendees} x {self.hash_seconds * 1000:.0f} ms / {self.threads} hash threads "
                f"= {self.seconds * 1000:.0f} ms")


def report(results: Results, attendees: int, floor: Floor | None = None) -> None:
    """Per step: successes, busy answers, failures and latency percentiles (and p99 against the hashing floor)."""
    print(f"\n{'step':<18} {'ok':>8} {'busy':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
          f"{'  p99:floor' if floor else ''}")
    for step in STEPS:
        seconds = results.seconds[step]
        figures = "".join(f" {percentile(seconds, p) * 1000:8.0f}" for p in (0.5, 0.95, 0.99)) if seconds else ""
        if floor and seconds:
            figures += f" {percentile(seconds, 0.99) / floor.seconds:10.2f}"
        print(f"{step:<18} {len(seconds):>4}/{attendees:<3} {results.busy[step]:>5}{figures}")
    if floor:
        print(floor.describe())
        slowest = max((percentile(values, 0.99), step) for step, values in results.seconds.items()
                      if values and step not in HASHED_STEPS)
        print(f"slowest non-hash step at p99: {slowest[1]} {slowest[0] * 1000:.0f} ms")
    failed = sum(sum(reasons.values()) for reasons in results.failures.values())
    print(f"failed steps: {failed}; steps not reached after a failure: {sum(results.not_reached.values())}; "
          f"requests resent on a closed keep-alive connection: {sum(results.resent.values())}")
    for step, reasons in results.failures.items():
        for reason, count in reasons.most_common(3):
            print(f"  {step}: {count} x {reason}")


@dataclass
class Round:
    """One server's run: its mode, its RSS at start and after each wave, the CPU it used, /room/feed's times."""

    recording: bool | None
    rss: list[float] = field(default_factory=list)
    cpu: float = 0.0
    feed_seconds: list[float] = field(default_factory=list)
    attendees_counted: int = 0


def room_setting(recording: bool | None) -> dict[str, str]:
    """ROOM_ENABLED for the server: as the operator set it, or left to its default."""
    return {} if recording is None else {"ROOM_ENABLED": "true" if recording else "false"}


async def read_room(base: str, outcome: Round) -> None:
    """As the instructor, read /room/feed: how long it takes and how many attendees it counted (404 when off)."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        form = {"grant_type": "password", "username": INSTRUCTOR[0], "password": INSTRUCTOR[1],
                "client_id": "web-app", "client_secret": "web-app-secret", "audience": API}
        token = (await client.post("/oauth/token", data=form)).raise_for_status().json()["access_token"]
        for _ in range(FEED_REQUESTS):
            started = time.perf_counter()
            answer = await client.get("/room/feed", headers={"Authorization": f"Bearer {token}"})
            outcome.feed_seconds.append(time.perf_counter() - started)
        if answer.status_code != (200 if outcome.recording is not False else 404):
            raise SystemExit(f"/room/feed answered {answer.status_code} with recording {outcome.recording}")
        outcome.attendees_counted = answer.json().get("attendees", 0)


async def serve_round(attendees: int, waves: int, database_url: str | None, outcome: Round, results: Results,
                      label: str = "") -> None:
    """Start one worker as the Procfile does, with a data folder of its own; run the waves; stop it."""
    with tempfile.TemporaryDirectory() as data_dir:
        port = free_port()
        extra_env = {**({"DATABASE_URL": database_url} if database_url else {}), **room_setting(outcome.recording)}
        process = start_server(Path(data_dir), port, behind_proxy=True, extra_env=extra_env or None)
        base = f"http://127.0.0.1:{port}"
        try:
            outcome.rss.append(resident_megabytes(process.pid))
            for wave in range(1, waves + 1):
                cpu_before = cpu_seconds(process.pid)
                wave_started = time.perf_counter()
                await run_wave(base, wave, attendees, results)
                outcome.rss.append(resident_megabytes(process.pid))
                cpu = cpu_seconds(process.pid) - cpu_before
                outcome.cpu += cpu
                print(f"{label}wave {wave}: {time.perf_counter() - wave_started:6.1f} s   "
                      f"server RSS {outcome.rss[-2]:.0f} MB -> {outcome.rss[-1]:.0f} MB   server CPU {cpu:.1f} s")
            if outcome.recording is not None:
                await read_room(base, outcome)
        finally:
            stop_server(process)


async def run(attendees: int, waves: int, database_url: str | None, recording: bool | None) -> None:
    """One worker, recording as asked (None: the site's default); print the figures."""
    results = Results()
    print(f"one uvicorn worker on {'PostgreSQL' if database_url else 'SQLite'}; "
          f"{waves} waves of {attendees} attendees")
    floor = Floor(attendees, seconds_per_hash(), hash_threads())
    started = time.perf_counter()
    outcome = Round(recording)
    await serve_round(attendees, waves, database_url, outcome, results)
    print(f"wall time: {time.perf_counter() - started:.1f} s")
    report(results, attendees * waves, floor)
    if outcome.recording:
        print(feed_figures(outcome))


def failed_steps(results: Results) -> int:
    """Steps that ended with an unexpected answer."""
    return sum(sum(reasons.values()) for reasons in results.failures.values())


def ratio(on: float, off: float) -> str:
    """on:off, as a figure to two places."""
    return f"{on / off:5.2f}" if off else "    -"


def compare(results: dict[bool, Results], rounds: dict[bool, list[Round]], journeys: int) -> None:
    """Per step p50/p95 on and off with on:off ratios; failed steps; RSS after each wave; CPU; /room/feed."""
    print(f"\nrecording on vs off, {len(rounds[True])} rounds each ({journeys} journeys per mode)")
    print(f"{'step':<18} {'p50 on':>8} {'p50 off':>8} {'on:off':>6}   {'p95 on':>8} {'p95 off':>8} {'on:off':>6}")
    for step in STEPS:
        on, off = results[True].seconds[step], results[False].seconds[step]
        if not on or not off:
            print(f"{step:<18} (no successes {'on' if not on else 'off'})")
            continue
        p50 = percentile(on, 0.5), percentile(off, 0.5)
        p95 = percentile(on, 0.95), percentile(off, 0.95)
        print(f"{step:<18} {p50[0] * 1000:8.0f} {p50[1] * 1000:8.0f} {ratio(*p50)}   "
              f"{p95[0] * 1000:8.0f} {p95[1] * 1000:8.0f} {ratio(*p95)}")
    all_on = [value for seconds in results[True].seconds.values() for value in seconds]
    all_off = [value for seconds in results[False].seconds.values() for value in seconds]
    if all_on and all_off:
        print(f"{'every step':<18} {percentile(all_on, 0.5) * 1000:8.0f} {percentile(all_off, 0.5) * 1000:8.0f} "
              f"{ratio(percentile(all_on, 0.5), percentile(all_off, 0.5))}   "
              f"{percentile(all_on, 0.95) * 1000:8.0f} {percentile(all_off, 0.95) * 1000:8.0f} "
              f"{ratio(percentile(all_on, 0.95), percentile(all_off, 0.95))}")
    print(f"failed steps: on {failed_steps(results[True])}, off {failed_steps(results[False])}; busy answers "
          f"retried: on {sum(results[True].busy.values())}, off {sum(results[False].busy.values())}")
    rss = {mode: [statistics.mean(values) for values in zip(*(r.rss for r in rounds[mode]))] for mode in rounds}
    cpu = {mode: sum(r.cpu for r in rounds[mode]) / journeys for mode in rounds}
    for mode in (True, False):
        figures = ", ".join(f"{value:.0f}" for value in rss[mode])
        print(f"server RSS, recording {'on ' if mode else 'off'}: start, after each wave (mean of rounds): "
              f"{figures} MB   CPU per attendee {cpu[mode]:.3f} s")
    print(f"on:off  RSS at start {ratio(rss[True][0], rss[False][0])}   after the last wave "
          f"{ratio(rss[True][-1], rss[False][-1])}   CPU per attendee {ratio(cpu[True], cpu[False])}")
    for outcome in rounds[True]:
        print(feed_figures(outcome))


def feed_figures(outcome: Round) -> str:
    """How many attendees /room/feed counted, and how fast it answered."""
    return (f"/room/feed as the instructor after the waves: {outcome.attendees_counted} attendees counted, "
            f"median {statistics.median(outcome.feed_seconds) * 1000:.0f} ms, "
            f"max {max(outcome.feed_seconds) * 1000:.0f} ms over {FEED_REQUESTS} requests")


async def run_compare(attendees: int, waves: int, rounds: int, database_url: str | None) -> None:
    """Alternate rounds with recording on and off, each against a fresh server; print both and their ratios."""
    results = {True: Results(), False: Results()}
    outcomes: dict[bool, list[Round]] = {True: [], False: []}
    print(f"one uvicorn worker per round on {'PostgreSQL' if database_url else 'SQLite'}; {waves} waves of "
          f"{attendees} attendees per round; {rounds} rounds with recording on, {rounds} off, alternating")
    started = time.perf_counter()
    for number in range(1, rounds + 1):
        for recording in (True, False):
            outcome = Round(recording)
            outcomes[recording].append(outcome)
            await serve_round(attendees, waves, database_url, outcome, results[recording],
                              label=f"round {number}, recording {'on ' if recording else 'off'}: ")
    print(f"wall time: {time.perf_counter() - started:.1f} s")
    for recording in (True, False):
        print(f"\nrecording {'on' if recording else 'off'}:", end="")
        report(results[recording], attendees * waves * rounds)
    compare(results, outcomes, attendees * waves * rounds)


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=100, help="attendees per wave")
    parser.add_argument("--waves", type=int, default=3)
    parser.add_argument("--database-url", help="run the server with this DATABASE_URL (PostgreSQL)")
    parser.add_argument("--recording", choices=("on", "off", "compare"), default=None,
                        help="ROOM_ENABLED for the server (default: its own default, on); compare: rounds of both")
    parser.add_argument("--rounds", type=int, default=2, help="with --recording compare: rounds per mode")
    arguments = parser.parse_args()
    if arguments.recording == "compare":
        asyncio.run(run_compare(arguments.attendees, arguments.waves, arguments.rounds, arguments.database_url))
    else:
        recording = None if arguments.recording is None else arguments.recording == "on"
        asyncio.run(run(arguments.attendees, arguments.waves, arguments.database_url, recording))


if __name__ == "__main__":
    main()
