"""Who the inspector records for: a random id and a sealing key, both kept in the visitor's signed session only."""

import base64
import binascii
import secrets
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from flow_inspector.sealing import KEY_BYTES, new_key

VISITOR_KEY = "inspector_visitor"
SEALING_KEY = "inspector_key"
ID_BYTES = 18


@dataclass(frozen=True)
class Visitor:
    """A visitor's id and key; `previous` is the id whose records move to this one at the next write."""

    id: str
    key: bytes
    previous: str | None = None


def encoded(key: bytes) -> str:
    """The key as the session keeps it."""
    return base64.urlsafe_b64encode(key).decode()


def visitor_of(session: MutableMapping[str, Any]) -> Visitor | None:
    """The visitor this session holds, or None (no record started, or a session from before the key)."""
    visitor_id, key = session.get(VISITOR_KEY), session.get(SEALING_KEY)
    if not isinstance(visitor_id, str) or not isinstance(key, str):
        return None
    try:
        raw = base64.urlsafe_b64decode(key)
    except (binascii.Error, ValueError):
        return None
    return Visitor(visitor_id, raw) if len(raw) == KEY_BYTES else None


def visitor_for(session: MutableMapping[str, Any]) -> Visitor:
    """The session's visitor, created on first use."""
    return visitor_of(session) or renewed(session, None)


def renewed(session: MutableMapping[str, Any], previous: Visitor | None) -> Visitor:
    """A new id in the session, keeping the previous visitor's key, so that their records can follow them."""
    # An id planted in the visitor's browser (a session cookie the attacker holds too) then reads nothing later.
    visitor = Visitor(secrets.token_urlsafe(ID_BYTES), previous.key if previous else new_key(),
                      previous.id if previous else None)
    session[VISITOR_KEY] = visitor.id
    session[SEALING_KEY] = encoded(visitor.key)
    return visitor


def visitor_for_request(request: Request) -> Visitor | None:
    """The visitor making this request under a new id, when a browser of this site makes it; None for a script."""
    # A script hammering the token API has no session and is no visitor: its calls are not kept.
    if VISITOR_KEY not in request.session and request.headers.get("sec-fetch-site") != "same-origin":
        return None
    return renewed(request.session, visitor_of(request.session))
