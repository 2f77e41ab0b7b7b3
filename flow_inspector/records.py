"""What the flow inspector records of a visitor's token exchange, back channel included, as it happens."""

# Never logged. Client secrets and passwords are masked when recorded; tokens are kept whole so that their owner can
# reveal them, and masked on screen. Where records are kept: flow_inspector.store.

import base64
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

MAX_BODY_CHARS = 16_384
# Requests to the tenant recorded per flow (a login makes two or three); later ones are not kept.
MAX_CALLS_PER_FLOW = 8
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

    def waits_for(self, state: str) -> bool:
        """True for a web login still waiting for the callback, whose authorization request carried this `state`."""
        return self.callback is None and bool(self.authorization_url) and dict(
            parse_qsl(urlsplit(self.authorization_url).query)).get("state") == state


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
    if flow is None or len(flow.back_channel) >= MAX_CALLS_PER_FLOW:
        return
    form = masked_form(request.content, request.headers.get("content-type", "")) if request.content else None
    flow.back_channel.append(HttpCall(request.method, str(request.url).split("?")[0], masked_headers(request.headers),
                                      form))


async def record_response(response: httpx.Response) -> None:
    """httpx hook: note the tenant's answer to the last request recorded."""
    flow = recording.get()
    if flow is None or not flow.back_channel or flow.back_channel[-1].status is not None:
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
