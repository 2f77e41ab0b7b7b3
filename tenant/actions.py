"""Post-login Actions: Auth0's JavaScript, run in a sandboxed V8 isolate with Auth0's `event` and `api` shapes."""

import asyncio
import json
import threading
from contextlib import AbstractContextManager
import time
from dataclasses import dataclass, field
from pathlib import Path

from py_mini_racer import JSEvalException, JSOOMException, JSTimeoutException, MiniRacer, mini_racer

from tenant.directory import CONNECTION, Client
from tenant.users import User, iso_time

DEFAULT_ACTION = Path(__file__).resolve().parents[1] / "tutorials" / "custom_claims" / "add-email-to-access-token.js"
# Auth0 allows a flow 20 s; one worker runs one Action at a time, so a workshop instance gets a tighter bound.
TIME_LIMIT = 5.0
MEMORY_LIMIT = 32 * 1024 * 1024
POLL_PAUSE = 0.001
TIMEOUT_DESCRIPTION = "Request to Webtask exceeded allowed execution time"
MEMORY_DESCRIPTION = "Action execution exceeded its memory limit"
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

# Run once per isolate. It takes away what could reach past the heap limit (buffers, WebAssembly), keeps timers,
# then freezes every built-in and the global object: each run evaluates the Actions afresh inside a function,
# so nothing one login's Action does can be seen by the next one's.
SANDBOX = r"""
(() => {
  "use strict";
  const Shared = SharedArrayBuffer, Int32 = Int32Array, waitAsync = Atomics.waitAsync;
  const pending = new Set();
  let nextTimer = 0;
  globalThis.setTimeout = (callback, delay, ...args) => {
    const id = nextTimer++;
    pending.add(id);
    waitAsync(new Int32(new Shared(8)), 0, 0, delay).value.then(() => {
      if (pending.delete(id)) callback(...args);
    });
    return id;
  };
  globalThis.clearTimeout = (id) => { pending.delete(id); };
  globalThis.__timer_manager = undefined;
  for (const name of ["ArrayBuffer", "SharedArrayBuffer", "DataView", "Atomics", "WebAssembly", "Int8Array",
                      "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
                      "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"]) {
    delete globalThis[name];
  }

  const SOURCES = __SOURCES__;
  let outcome = null;
  const message = (error) => (error instanceof Error ? error.message : String(error));
  const run = (eventJson) => {
    outcome = null;
    const access = {}, id = {};
    let denied = null, done = false;
    const setter = (claims) => (name, value) => {
      if (done) return;
      if (typeof name !== "string") throw new TypeError("The claim name must be a string");
      if (value === undefined) { delete claims[name]; } else { claims[name] = JSON.stringify(value); }
    };
    const api = Object.freeze({
      accessToken: Object.freeze({ setCustomClaim: setter(access) }),
      idToken: Object.freeze({ setCustomClaim: setter(id) }),
      access: Object.freeze({ deny: (reason) => { if (!done && denied === null) denied = String(reason ?? ""); } }),
    });
    let chain = Promise.resolve();
    for (const source of SOURCES) {
      chain = chain.then(async () => {
        if (denied !== null) return;
        const module = { exports: {} };
        new Function("exports", "module", source)(module.exports, module);
        const handler = module.exports.onExecutePostLogin;
        if (typeof handler === "function") await handler(JSON.parse(eventJson), api);
      });
    }
    chain.then(
      () => { done = true; outcome = JSON.stringify({ access, id, denied }); },
      (error) => { done = true; outcome = JSON.stringify({ error: message(error) }); },
    );
  };
  Object.defineProperty(globalThis, "__playgroundRun", { value: run });
  Object.defineProperty(globalThis, "__playgroundOutcome", { value: () => outcome });

  const seen = new Set();
  const harden = (value) => {
    if ((typeof value !== "object" && typeof value !== "function") || value === null || seen.has(value)) return;
    seen.add(value);
    Object.freeze(value);
    harden(Object.getPrototypeOf(value));
    for (const key of Reflect.ownKeys(value)) {
      const property = Object.getOwnPropertyDescriptor(value, key);
      if (!property) continue;
      harden(property.value);
      harden(property.get);
      harden(property.set);
    }
  };
  harden(globalThis);
})();
"""


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
    """One V8 isolate per worker, reused by every login under a lock; replaced after a run it had to stop."""

    def __init__(self, sources: tuple[str, ...], time_limit: float = TIME_LIMIT,
                 memory_limit: int = MEMORY_LIMIT) -> None:
        self.sources = sources
        self.time_limit = time_limit
        self.memory_limit = memory_limit
        self._lock = threading.Lock()
        self._racer: MiniRacer | None = None
        self._opened: AbstractContextManager[MiniRacer] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _new_racer(self) -> MiniRacer:
        """A fresh isolate with the sandbox and the Actions' sources installed."""
        if self._loop is None:
            # One long-lived loop for the isolates' callbacks: one still arriving from a stopped isolate finds it open.
            self._loop = asyncio.new_event_loop()
            threading.Thread(target=self._loop.run_forever, name="action-engine", daemon=True).start()
        self._opened = mini_racer(self._loop)
        racer = self._opened.__enter__()
        racer.set_hard_memory_limit(self.memory_limit)
        racer.eval(SANDBOX.replace("__SOURCES__", json.dumps(list(self.sources))), timeout_sec=self.time_limit * 5)
        return racer

    def _discard(self) -> None:
        """Stop a runaway isolate without waiting for it: closing terminates its JavaScript."""
        opened, self._opened, self._racer = self._opened, None, None
        if opened is not None:
            threading.Thread(target=opened.__exit__, args=(None, None, None), name="action-isolate-close",
                             daemon=True).start()

    def run(self, event: dict) -> CustomClaims:
        """Run the post-login Actions for this login; raise ActionDenied when the login must fail."""
        if not self.sources:
            return CustomClaims()
        with self._lock:
            racer = self._racer = self._racer or self._new_racer()
            try:
                outcome = self._execute(racer, event)
            except JSOOMException:
                self._discard()
                raise ActionDenied(MEMORY_DESCRIPTION) from None
            except JSTimeoutException:
                description = MEMORY_DESCRIPTION if racer.was_hard_memory_limit_reached() else TIMEOUT_DESCRIPTION
                self._discard()
                raise ActionDenied(description) from None
            except JSEvalException as error:
                self._discard()
                raise ActionDenied(str(error).splitlines()[0] if str(error) else "Action failed") from None
        if "error" in outcome:
            raise ActionDenied(outcome["error"] or "Action failed")
        if outcome["denied"] is not None:
            raise ActionDenied(outcome["denied"])
        return CustomClaims(
            access={name: json.loads(value) for name, value in outcome["access"].items()},
            id={name: json.loads(value) for name, value in outcome["id"].items()},
        )

    def _execute(self, racer: MiniRacer, event: dict) -> dict:
        """Start the run, then wait for its promises to settle within the time limit."""
        deadline = time.monotonic() + self.time_limit
        racer.eval(f"__playgroundRun({json.dumps(json.dumps(event))})", timeout_sec=self.time_limit)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or racer.was_hard_memory_limit_reached():
                raise JSTimeoutException()
            outcome = racer.eval("__playgroundOutcome()", timeout_sec=remaining)
            if isinstance(outcome, str):
                return json.loads(outcome)
            time.sleep(POLL_PAUSE)

    def close(self) -> None:
        """Free the isolate."""
        with self._lock:
            if self._opened is not None:
                self._opened.__exit__(None, None, None)
                self._opened = self._racer = None


def login_event(user: User, client: Client, audience: str | None, api_identifier: str, scope: str,
                grant_type: str, ip: str, user_agent: str) -> dict:
    """Auth0's post-login `event` for this login: the parts Actions commonly read, and no request secrets."""
    record, profile = user.record, user.profile
    event: dict = {
        "user": {
            "user_id": user.sub, "email": record.email, "email_verified": record.email_verified,
            "name": record.name, "nickname": record.nickname, "app_metadata": {},
            "user_metadata": profile.get("user_metadata") or {},
            **{key: profile[key] for key in EVENT_PROFILE_FIELDS if key in profile},
            "created_at": iso_time(record.created_at), "updated_at": iso_time(record.updated_at),
            "identities": [{"connection": CONNECTION, "provider": "auth0", "user_id": record.id, "isSocial": False}],
        },
        "client": {"client_id": client.client_id, "name": client.name, "metadata": {}},
        "connection": {"name": CONNECTION, "strategy": "auth0"},
        "request": {"ip": ip, "user_agent": user_agent[:512]},
        "transaction": {"protocol": PROTOCOLS.get(grant_type, grant_type), "requested_scopes": scope.split()},
    }
    if audience == api_identifier:
        event["authorization"] = {"roles": []}
        event["resource_server"] = {"identifier": audience}
    return event
