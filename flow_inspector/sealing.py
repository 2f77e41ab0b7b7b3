"""A flow sealed for the database: JSON, compressed, then encrypted (AES-256-GCM) with the visitor's own key."""

# The key lives only in the visitor's session cookie: the server never stores it, so a row is unreadable without
# that cookie. The flow's id is bound to the ciphertext (associated data): a sealed flow cannot pass for another.

import json
import secrets
import zlib
from dataclasses import asdict, replace
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from flow_inspector.records import Flow, HttpCall

KEY_BYTES = 32
NONCE_BYTES = 12
# Values longer than this are cut when a flow is too large to keep whole.
SHRUNK_VALUE_CHARS = 512
BODY_DROPPED = "(answer not kept: too large)"


def new_key() -> bytes:
    """A random AES-256 key."""
    return secrets.token_bytes(KEY_BYTES)


def seal(flow: Flow, key: bytes) -> bytes:
    """The flow encrypted under `key`: nonce, then ciphertext and tag."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    plain = zlib.compress(json.dumps(asdict(flow), separators=(",", ":")).encode())
    return nonce + AESGCM(key).encrypt(nonce, plain, flow.id.encode())


def seal_within(flow: Flow, key: bytes, limit: int) -> bytes | None:
    """The sealed flow, its answers and long values dropped when it exceeds `limit` bytes; None if still too large."""
    sealed = seal(flow, key)
    if len(sealed) <= limit:
        return sealed
    sealed = seal(shrunk(flow), key)
    return sealed if len(sealed) <= limit else None


def shrunk(flow: Flow) -> Flow:
    """A copy of the flow without the tenant's answers, the values a visitor wrote cut short."""
    calls = [replace(call, response_body=BODY_DROPPED, form=cut(call.form), url=call.url[:SHRUNK_VALUE_CHARS])
             for call in flow.back_channel]
    request = flow.browser_request
    return replace(flow, back_channel=calls, callback=cut(flow.callback),
                   browser_request=None if request is None else {**request, "json": cut(request.get("json"))})


def cut(values: dict[str, str] | None) -> dict[str, str] | None:
    """Each value cut to SHRUNK_VALUE_CHARS."""
    return None if values is None else {name[:SHRUNK_VALUE_CHARS]: value[:SHRUNK_VALUE_CHARS]
                                        for name, value in values.items()}


def unseal(flow_id: str, sealed: bytes, key: bytes) -> Flow | None:
    """The flow sealed under `key`; None when the key is another one or the row is not a sealed flow."""
    try:
        plain = AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], flow_id.encode())
        return flow_from(json.loads(zlib.decompress(plain)))
    except (InvalidTag, ValueError, TypeError, KeyError, zlib.error):
        return None


def flow_from(data: dict[str, Any]) -> Flow:
    """A flow from its JSON form."""
    calls = [HttpCall(**call) for call in data.pop("back_channel")]
    return Flow(**data, back_channel=calls)
