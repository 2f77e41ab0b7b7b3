"""Post-login Actions: Auth0's JavaScript, run in child processes' sandboxed V8 isolates, with Auth0's `event` and `api`."""

import json
import os
import select
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tenant.directory import CONNECTION, Client
from tenant.store.users import User, iso_time

DEFAULT_ACTION = Path(__file__).resolve().parents[2] / "tutorials" / "custom_claims" / "add-email-to-access-token.js"
# Auth0 allows a flow 20 s; one worker runs one Action at a time, so a workshop instance gets a tighter bound.
TIME_LIMIT = 5.0
MEMORY_LIMIT = 32 * 1024 * 1024
RUNNER = Path(__file__).with_name("runner.py")
# Child processes per worker: a runaway Action holds one for its time limit while logins go on in the others.
RUNNER_PROCESSES = 2
# The child stops a run itself at the time limit; past this much more, it is killed.
WALL_TIME_GRACE = 3.0
READ_SIZE = 65536
TIMEOUT_DESCRIPTION = "Request to Webtask exceeded allowed execution time"
MEMORY_DESCRIPTION = "Action execution exceeded its memory limit"
CRASH_DESCRIPTION = "Action execution failed: its sandbox stopped unexpectedly"
UNREADABLE_DESCRIPTION = "Action execution failed: the claims it set could not be read"
# Claims Auth0 lets no Action set: OpenID Connect's and those it uses itself. Setting one is silently ignored.
RESTRICTED_CLAIMS = frozenset({
    "acr", "act", "active", "amr", "at_hash", "ath", "attest", "aud", "auth_time", "authorization_details", "azp",
    "c_hash", "client_id", "cnf", "cty", "dest", "entitlements", "events", "exp", "groups", "gty", "htm", "htu",
    "iat", "internalService", "iss", "jcard", "jku", "jti", "jwe", "jwk", "kid", "may_act", "mky", "nbf", "nonce",
    "object_id", "org_id", "org_name", "orig", "origid", "permissions", "roles", "rph", "s_hash", "scope", "sid",
    "sip_callid", "sip_cseq_num", "sip_date", "sip_from_tag", "sip_via_branch", "sub", "sub_jwk", "toe", "txn",
    "typ", "uuid", "vot", "vtm", "x5t#S256",
})
# Profile attributes kept from sign-up that Auth0 puts on event.user when the user has them.
EVENT_PROFILE_FIELDS = ("given_name", "family_name", "picture", "username")
# Auth0's event.transaction.protocol for each grant that runs the post-login trigger.
PROTOCOLS = {
    "authorization_code": "oidc-basic-profile",
    "implicit": "oidc-implicit-profile",
    "password": "oauth2-resource-owner",
    "http://auth0.com/oauth/grant-type/password-realm": "oauth2-password",
    "refresh_token": "oauth2-refresh-token",
    "urn:ietf:params:oauth:grant-type:device_code": "oauth2-device-code",
}

class ActionDenied(Exception):
    """The login fails: an Action denied it, threw, or ran past its time or memory."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


@dataclass(frozen=True)
class CustomClaims:
    """Claims the Actions set on the access token and on the ID token."""

    access: dict = field(default_factory=dict)
    id: dict = field(default_factory=dict)

    @staticmethod
    def add(custom: dict, claims: dict) -> None:
        """Add what Auth0 would: a restricted claim, or one the token already has, is dropped without an error."""
        for name, value in custom.items():
            if name not in RESTRICTED_CLAIMS and name not in claims:
                claims[name] = value


def default_actions() -> tuple[str, ...]:
    """The Action step 11 teaches, as if an instructor had deployed it."""
    return (DEFAULT_ACTION.read_text(encoding="utf-8"),)


class ActionEngine:
    """Runs the post-login Actions in child processes, one run at a time each, so V8 never shares the site's."""

    def __init__(self, sources: tuple[str, ...], time_limit: float = TIME_LIMIT, memory_limit: int = MEMORY_LIMIT,
                 processes: int = RUNNER_PROCESSES) -> None:
        self.sources = sources
        self.time_limit = time_limit
        self.memory_limit = memory_limit
        self.processes = processes
        self._idle: list[RunnerProcess] = []
        self._started = 0
        self._available = threading.Condition()

    def run(self, event: dict) -> CustomClaims:
        """Run the post-login Actions for this login; raise ActionDenied when the login must fail."""
        if not self.sources:
            return CustomClaims()
        runner = self._take()
        request = {"sources": list(self.sources), "event": event, "time_limit": self.time_limit}
        outcome = runner.ask(request, self.time_limit + WALL_TIME_GRACE)
        self._give_back(runner, healthy=outcome is not None and "stopped" not in outcome)
        return claims_from(outcome)

    def _take(self) -> "RunnerProcess":
        """An idle child process, a new one while fewer than `processes` run, or the first to come free."""
        with self._available:
            while not self._idle and self._started >= self.processes:
                self._available.wait()
            while self._idle:
                runner = self._idle.pop()
                if runner.process.poll() is None:
                    return runner
                self._started -= 1  # ended while idle (killed from outside): replaced below
            self._started += 1
        try:
            return RunnerProcess(self.memory_limit)
        except OSError:
            self._give_back(None, healthy=False)
            raise ActionDenied(CRASH_DESCRIPTION) from None

    def _give_back(self, runner: "RunnerProcess | None", healthy: bool) -> None:
        """Keep a healthy child for the next run; stop any other, and start its replacement in the background."""
        with self._available:
            if healthy and runner is not None:
                self._idle.append(runner)
                runner = None
            else:
                self._started -= 1
            self._available.notify()
        if runner is not None:
            runner.stop()
            threading.Thread(target=self._start_spare, name="action-runner-spare", daemon=True).start()

    def _start_spare(self) -> None:
        """Start an idle child ahead of the next login, while fewer than `processes` run."""
        with self._available:
            if self._started >= self.processes:
                return
            self._started += 1
        try:
            self._give_back(RunnerProcess(self.memory_limit), healthy=True)
        except OSError:
            self._give_back(None, healthy=False)

    def process_ids(self) -> list[int]:
        """The idle child processes' ids."""
        with self._available:
            return [runner.process.pid for runner in self._idle]

    def close(self) -> None:
        """Stop the idle child processes; a busy one stops when its run ends. Runs after this start new ones."""
        with self._available:
            idle, self._idle = self._idle, []
            self._started -= len(idle)
        for runner in idle:
            runner.stop()


class RunnerProcess:
    """One child process of tenant/actions/runner.py and the pipes to it."""

    def __init__(self, memory_limit: int) -> None:
        self.process = subprocess.Popen([sys.executable, str(RUNNER), str(memory_limit)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, close_fds=True)
        self._received = b""

    def ask(self, request: dict, wait: float) -> dict | None:
        """Send one run and read its answer; None when the process died or did not answer within `wait` seconds."""
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
        except OSError:
            return None
        line = self._read_line(time.monotonic() + wait)
        try:
            return json.loads(line) if line is not None else None
        except ValueError:
            return None

    def _read_line(self, deadline: float) -> bytes | None:
        """The next line the process writes, or None at its end or past the deadline (read unbuffered, by `select`)."""
        pipe = self.process.stdout.fileno()
        while b"\n" not in self._received:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([pipe], [], [], remaining)[0]:
                return None
            chunk = os.read(pipe, READ_SIZE)
            if not chunk:
                return None
            self._received += chunk
        line, self._received = self._received.split(b"\n", 1)
        return line

    def stop(self) -> None:
        """End the process at once, whatever it is running, and reap it."""
        self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            pipe.close()


def claims_from(outcome: dict | None) -> CustomClaims:
    """The claims a run set, or ActionDenied with Auth0's description of why the login fails."""
    if outcome is None:
        raise ActionDenied(CRASH_DESCRIPTION)
    if "stopped" in outcome:
        raise ActionDenied(MEMORY_DESCRIPTION if outcome["stopped"] == "memory" else TIMEOUT_DESCRIPTION)
    if "error" in outcome:
        raise ActionDenied(outcome["error"] or "Action failed")
    if outcome["denied"] is not None:
        raise ActionDenied(outcome["denied"])
    try:
        return CustomClaims(
            access={name: json.loads(value) for name, value in outcome["access"].items()},
            id={name: json.loads(value) for name, value in outcome["id"].items()},
        )
    except (RecursionError, ValueError):
        raise ActionDenied(UNREADABLE_DESCRIPTION) from None


def login_event(user: User, client: Client, audience: str | None, api_identifier: str, scope: str,
                grant_type: str, ip: str, user_agent: str) -> dict:
    """Auth0's post-login `event` for this login: the parts Actions commonly read, and no request secrets."""
    record, profile = user.record, user.profile
    event: dict = {
        "user": {
            "user_id": user.sub, "email": record.email, "email_verified": record.email_verified,
            "name": record.name, "nickname": record.nickname, "app_metadata": user.app_metadata,
            "user_metadata": user.user_metadata,
            **{key: profile[key] for key in EVENT_PROFILE_FIELDS if key in profile},
            "created_at": iso_time(record.created_at), "updated_at": iso_time(record.updated_at),
            "identities": [{"connection": CONNECTION, "provider": "auth0", "user_id": record.id, "isSocial": False}],
        },
        "client": {"client_id": client.client_id, "name": client.name, "metadata": {}},
        "connection": {"name": CONNECTION, "strategy": "auth0"},
        "request": {"ip": ip, "user_agent": user_agent[:512]},
        "stats": {"logins_count": user.account.logins_count},
        "transaction": {"protocol": PROTOCOLS.get(grant_type, grant_type), "requested_scopes": scope.split()},
    }
    if audience == api_identifier:
        event["authorization"] = {"roles": list(user.roles)}
        event["resource_server"] = {"identifier": audience}
    return event
