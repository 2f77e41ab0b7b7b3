"""The flow inspector's memory: each visitor's last token exchanges, back channel included."""

# Kept in this process's memory only, per visitor (a random id in their signed session), bounded in visitors, flows
# and bytes, and forgotten after FLOW_TTL_SECONDS. Never logged. Client secrets and passwords are masked when
# recorded; tokens are kept whole so that their owner can reveal them, and masked on screen.

import base64
import hashlib
import json
import secrets
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
from starlette.requests import Request

VISITOR_KEY = "inspector_visitor"
MAX_VISITORS = 500
FLOWS_PER_VISITOR = 4
FLOW_TTL_SECONDS = 1800
MAX_BODY_CHARS = 16_384
# A password is never shown, not even its length.
PASSWORD_SHOWN = "••••••••"
SECRET_FIELDS = {"client_secret"}
HIDDEN_FIELDS = {"password"}


def mask(value: str, keep: int = 4) -> str:
    """The value with its middle hidden: enough to recognise it, not enough to use it."""
    if len(value) <= 2 * keep + 2:
        return "•" * len(value)
    return f"{value[:keep]}…{value[-keep:]}"


@dataclass
class HttpCall:
    """One request this site sent to the tenant, and the answer, as they went over the wire."""

    method: str
    url: str
    headers: dict[str, str]
    form: dict[str, str] | None
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: Any = None


@dataclass
class Flow:
    """One exchange a visitor started: what the browser saw, and what went on behind it."""

    id: str
    kind: str
    started: float
    authorization_url: str | None = None
    code_verifier: str | None = None
    callback: dict[str, str] | None = None
    browser_request: dict[str, Any] | None = None
    back_channel: list[HttpCall] = field(default_factory=list)
    outcome: str = "waiting for the tenant to send the browser back"


class FlowStore:
    """Each visitor's last few flows, oldest visitors dropped first, all of them expiring."""

    def __init__(self, max_visitors: int = MAX_VISITORS, per_visitor: int = FLOWS_PER_VISITOR,
                 ttl: float = FLOW_TTL_SECONDS) -> None:
        self.max_visitors = max_visitors
        self.per_visitor = per_visitor
        self.ttl = ttl
        self._flows: OrderedDict[str, list[Flow]] = OrderedDict()

    @staticmethod
    def visitor(session: dict[str, Any]) -> str:
        """The visitor's random id, created in their session on first use."""
        if not isinstance(session.get(VISITOR_KEY), str):
            session[VISITOR_KEY] = secrets.token_urlsafe(18)
        return session[VISITOR_KEY]

    def start(self, visitor: str, kind: str) -> Flow:
        """A new flow for this visitor, newest first."""
        flow = Flow(id=secrets.token_urlsafe(9), kind=kind, started=time.time())
        flows = [flow, *self.recent(visitor)][: self.per_visitor]
        self._flows[visitor] = flows
        self._flows.move_to_end(visitor)
        while len(self._flows) > self.max_visitors:
            self._flows.popitem(last=False)
        return flow

    def recent(self, visitor: str) -> list[Flow]:
        """The visitor's flows that have not expired, newest first."""
        cutoff = time.time() - self.ttl
        flows = [flow for flow in self._flows.get(visitor, []) if flow.started >= cutoff]
        if not flows:
            self._flows.pop(visitor, None)
        return flows

    def move(self, old: str, new: str) -> None:
        """Hand a visitor's flows over to their new id (the id changes at login, like the session)."""
        flows = self._flows.pop(old, None)
        if flows:
            self._flows[new] = flows

    def renew(self, session: dict[str, Any], previous: object) -> str:
        """A new visitor id in the session, the flows of the previous one handed over to it."""
        # An id planted in the visitor's browser (a session cookie the attacker holds too) then reads nothing later.
        session[VISITOR_KEY] = secrets.token_urlsafe(18)
        if isinstance(previous, str):
            self.move(previous, session[VISITOR_KEY])
        return session[VISITOR_KEY]

    def for_request(self, request: Request, kind: str) -> Flow | None:
        """A new flow for the visitor making this request, under a new id, when a browser of this site makes it."""
        # A script hammering the token API has no session and is no visitor: its calls are not kept.
        if VISITOR_KEY not in request.session and request.headers.get("sec-fetch-site") != "same-origin":
            return None
        return self.start(self.renew(request.session, request.session.get(VISITOR_KEY)), kind)

    def waiting_for(self, visitor: str, state: str) -> Flow | None:
        """The visitor's web login whose authorization request carried this `state`."""
        for flow in self.recent(visitor):
            if flow.callback is None and flow.authorization_url and dict(
                    parse_qsl(urlsplit(flow.authorization_url).query)).get("state") == state:
                return flow
        return None


# The flow the current request is recording its calls to the tenant into, if any.
recording: ContextVar[Flow | None] = ContextVar("recording", default=None)


def masked_form(content: bytes, content_type: str) -> dict[str, str] | None:
    """A form or JSON request body with its secrets masked."""
    try:
        text = content.decode()
        values = json.loads(text) if "json" in content_type else dict(parse_qsl(text, keep_blank_values=True))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(values, dict):
        return None
    return {name: PASSWORD_SHOWN if name in HIDDEN_FIELDS else mask(str(value)) if name in SECRET_FIELDS
            else str(value) for name, value in values.items()}


def masked_headers(headers: httpx.Headers) -> dict[str, str]:
    """The headers worth showing, the client's Basic credentials with the secret masked."""
    shown = {name: value for name, value in headers.items() if name in ("content-type", "auth0-forwarded-for")}
    authorization = headers.get("authorization", "")
    if authorization.lower().startswith("basic "):
        try:
            client_id, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
            shown["authorization"] = f"Basic base64({client_id}:{mask(secret)})"
        except (ValueError, UnicodeDecodeError):
            shown["authorization"] = "Basic …"
    return shown


async def record_request(request: httpx.Request) -> None:
    """httpx hook: note a request to the tenant in the flow being recorded."""
    flow = recording.get()
    if flow is None:
        return
    form = masked_form(request.content, request.headers.get("content-type", "")) if request.content else None
    flow.back_channel.append(HttpCall(request.method, str(request.url).split("?")[0], masked_headers(request.headers),
                                      form))


async def record_response(response: httpx.Response) -> None:
    """httpx hook: note the tenant's answer to the last request recorded."""
    flow = recording.get()
    if flow is None or not flow.back_channel:
        return
    await response.aread()
    call = flow.back_channel[-1]
    call.status = response.status_code
    call.response_headers = {name: value for name, value in response.headers.items()
                             if name in ("content-type", "cache-control", "pragma")}
    text = response.text[:MAX_BODY_CHARS]
    try:
        call.response_body = json.loads(text)
    except ValueError:
        call.response_body = text


@contextmanager
def recording_into(flow: Flow | None) -> Iterator[None]:
    """Record the calls to the tenant made inside the block into `flow` (nothing when it is None)."""
    token = recording.set(flow)
    try:
        yield
    finally:
        recording.reset(token)


EVENT_HOOKS = {"request": [record_request], "response": [record_response]}


def pkce_challenge(verifier: str) -> dict[str, str]:
    """How a PKCE verifier hashes to its S256 challenge, step by step."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return {
        "verifier": verifier,
        "sha256_hex": digest.hex(),
        "challenge": base64.urlsafe_b64encode(digest).rstrip(b"=").decode(),
    }
