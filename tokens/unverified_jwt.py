"""A JWT's header and claims read without any check: for display, or for a token the API has already accepted."""

import base64
import json
from typing import Any


def json_segment(segment: str) -> Any:
    """One base64url segment of a compact JWT, read as JSON; ValueError when it is not (or nests too deep to read)."""
    try:
        return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except RecursionError:
        raise ValueError("the JSON nests too deep") from None


def decode_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The JOSE header and claims of a compact JWT, unchecked; None when it is not one (an opaque token)."""
    segments = token.split(".")
    if len(segments) != 3:
        return None
    try:
        header, claims = (json_segment(part) for part in segments[:2])
    except ValueError:
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    return header, claims
