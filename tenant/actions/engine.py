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


DEFAULT_ACTION = Path(__file__).resolve().parents[2] / "tutorials" / "custom_claims" / "add-email-to-access-token.js"
# Auth0's limit for a whole flow. A runaway Action holds its child process this long, never the server's threads'
# event loop; the operator's Actions and visitors' Actions run in separate pools (see tenant/actions/visitors.py).
TIME_LIMIT = 20.0
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
# api.access.deny() with no reason: the login still fails as access_denied, with this description.
DENIED_WITHOUT_REASON = "Access denied."
HIDDEN_SECRET = "[secret]"
# Claims Auth0 lets no Action set: OpenID Connect's and those it uses itself. Setting one is silently ignored.
RESTRICTED_CLAIMS = frozenset({
    "acr", "act", "active", "amr", "at_hash", "ath", "attest", "aud", "auth_time", "authorization_details", "azp",
    "c_hash", "client_id", "cnf", "cty", "dest", "entitlements", "events", "exp", "groups", "gty", "htm", "htu",
    "iat", "internalService", "iss", "jcard", "jku", "jti", "jwe", "jwk", "kid", "may_act", "mky", "nbf", "nonce",
    "object_id", "org_id", "org_name", "orig", "origid", "permissions", "roles", "rph", "s_hash", "scope", "sid",
    "sip_callid", "sip_cseq_num", "sip_date", "sip_from_tag", "sip_via_branch", "sub", "sub_jwk", "toe", "txn",
    "typ", "uuid", "vot", "vtm", "x5t#S256",
})

class ActionDenied(Exception):
    """The login fails: an Action denied it, threw, or ran past its time or memory."""

    def __init__(self, description: str, logs: tuple[str, ...] = (), line: int | None = None, denied: bool = False,
                 metadata: tuple[dict, dict] = ({}, {})) -> None:
        super().__init__(description)
        self.description = description
        self.logs = logs
        self.line = line
        self.denied = denied
        # Metadata changes a denying Action asked for: kept, as Auth0 keeps them.
        self.metadata = metadata


@dataclass(frozen=True)
class CustomClaims:
    """Claims the Actions set on the access token and on the ID token."""

    access: dict = field(default_factory=dict)
    id: dict = field(default_factory=dict)
    add_scopes: tuple[str, ...] | list[str] = ()
    remove_scopes: tuple[str, ...] | list[str] = ()
    # api.multifactor.enable was called: the login must pass MFA before tokens are issued.
    mfa: dict | None = None

    def scopes(self, granted: list[str]) -> list[str]:
        """The access token's scopes after api.accessToken.addScope and removeScope."""
        scopes = [scope for scope in granted if scope not in self.remove_scopes]
        return scopes + [scope for scope in dict.fromkeys(self.add_scopes) if scope not in scopes
                         and scope not in self.remove_scopes]

    def then(self, later: "CustomClaims") -> "CustomClaims":
        """What two runs set, one after the other: a later claim of the same name wins, as on Auth0."""
        return CustomClaims({**self.access, **later.access}, {**self.id, **later.id},
                            [*self.add_scopes, *later.add_scopes], [*self.remove_scopes, *later.remove_scopes],
                            later.mfa or self.mfa)

    def as_data(self) -> dict:
        """A JSON-ready form, kept in a code grant or a pending login."""
        return {"access": self.access, "id": self.id, "add_scopes": list(self.add_scopes),
                "remove_scopes": list(self.remove_scopes), "mfa": self.mfa}

    @staticmethod
    def add(custom: dict, claims: dict) -> None:
        """Add what Auth0 would: a restricted claim, or one the token already has, is dropped without an error."""
        for name, value in custom.items():
            if name not in RESTRICTED_CLAIMS and name not in claims:
                claims[name] = value


@dataclass(frozen=True)
class RunResult:
    """What one run of the Actions did: the claims, scopes and MFA for the tokens, a redirect, metadata, output."""

    claims: CustomClaims = CustomClaims()
    # Where api.redirect.sendUserTo sends the browser: {"url", "query", "index"} (the Action that asked).
    redirect: dict | None = None
    # Changes to persist: each name's new value, None to remove it.
    user_metadata: dict = field(default_factory=dict)
    app_metadata: dict = field(default_factory=dict)
    logs: tuple[str, ...] = ()


def default_actions() -> tuple[str, ...]:
    """The Action step 11 teaches, as if an instructor had deployed it."""
    return (DEFAULT_ACTION.read_text(encoding="utf-8"),)


class ActionEngine:
    """Runs the post-login Actions in child processes, one run at a time each, so V8 never shares the site's."""

    def __init__(self, sources: tuple[str, ...], time_limit: float = TIME_LIMIT, memory_limit: int = MEMORY_LIMIT,
                 processes: int = RUNNER_PROCESSES, secrets: dict[str, str] | None = None,
                 niceness: int = 0) -> None:
        self.sources = sources
        self.niceness = niceness
        self.secrets = dict(secrets or {})
        self.time_limit = time_limit
        self.memory_limit = memory_limit
        self.processes = processes
        self._idle: list[RunnerProcess] = []
        self._started = 0
        self._available = threading.Condition()

    def run(self, event: dict, plan: dict | None = None) -> RunResult:
        """Run the post-login Actions for this login; raise ActionDenied when the login must fail."""
        return self.run_sources(self.sources, {**event, "secrets": self.secrets}, plan)

    def run_sources(self, sources: tuple[str, ...], event: dict, plan: dict | None = None) -> RunResult:
        """Run these Actions (from `plan["start"]`, resuming it when `plan["resume"]`); ActionDenied if refused."""
        if not sources:
            return RunResult()
        outcome = self.outcome(sources, event, plan)
        return result_of(outcome, SecretScrubber(event.get("secrets") or {}))

    def outcome(self, sources: tuple[str, ...], event: dict, plan: dict | None) -> dict | None:
        """The child process's raw answer for one run, or None when it crashed or did not answer."""
        runner = self._take()
        request = {"sources": list(sources), "event": event, "plan": plan or {}, "time_limit": self.time_limit}
        outcome = runner.ask(request, self.time_limit + WALL_TIME_GRACE)
        self._give_back(runner, healthy=outcome is not None and "stopped" not in outcome)
        return outcome

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
            return RunnerProcess(self.memory_limit, self.niceness)
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
            self._give_back(RunnerProcess(self.memory_limit, self.niceness), healthy=True)
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

    def __init__(self, memory_limit: int, niceness: int = 0) -> None:
        self.process = subprocess.Popen([sys.executable, str(RUNNER), str(memory_limit), str(niceness)],
                                        stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, close_fds=True)
        self._received = b""

    def ask(self, request: dict, wait: float) -> dict | None:
        """Send one run and read its answer: None when the process died, stopped for time when it answered late."""
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
        except OSError:
            return None
        deadline = time.monotonic() + wait
        line = self._read_line(deadline)
        if line is None and time.monotonic() >= deadline:
            return {"stopped": "time"}  # late, not dead (a loaded machine): the run ran out of time
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


class SecretScrubber:
    """Takes the values of event.secrets out of what a run tells: errors, denials and console output."""

    def __init__(self, secrets: dict) -> None:
        # Longest first, so that a secret containing another is hidden whole.
        self.values = sorted((str(value) for value in secrets.values() if str(value)), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        """The text with every secret value replaced."""
        for value in self.values:
            text = text.replace(value, HIDDEN_SECRET)
        return text


def result_of(outcome: dict | None, scrub: SecretScrubber) -> RunResult:
    """What a run did, or ActionDenied with Auth0's description of why the login fails."""
    if outcome is None:
        raise ActionDenied(CRASH_DESCRIPTION)
    if "stopped" in outcome:
        raise ActionDenied(MEMORY_DESCRIPTION if outcome["stopped"] == "memory" else TIMEOUT_DESCRIPTION)
    logs = tuple(scrub(line) for line in outcome.get("logs", ()))
    if "error" in outcome:
        raise ActionDenied(scrub(outcome["error"] or "Action failed"), logs, outcome.get("line"))
    if outcome["denied"] is not None:
        raise ActionDenied(scrub(outcome["denied"]) or DENIED_WITHOUT_REASON, logs, denied=True,
                           metadata=(json_values(outcome["user_metadata"]), json_values(outcome["app_metadata"])))
    try:
        claims = CustomClaims(json_values(outcome["access"]), json_values(outcome["id"]),
                              outcome["scopes"]["add"], outcome["scopes"]["remove"], outcome["mfa"])
        return RunResult(claims, outcome["redirect"], json_values(outcome["user_metadata"]),
                         json_values(outcome["app_metadata"]), logs)
    except (RecursionError, ValueError):
        raise ActionDenied(UNREADABLE_DESCRIPTION) from None


def json_values(encoded: dict) -> dict:
    """Each value of a name-to-JSON-text map, decoded."""
    return {name: json.loads(value) for name, value in encoded.items()}
