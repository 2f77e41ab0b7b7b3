"""A JWT's header and claims read without any check: for display, or for a token the API has already accepted."""

import base64
import json
from typing import Any


def decode_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The JOSE header and claims of a compact JWT, unchecked; None when it is not one (an opaque token)."""
    segments = token.split(".")
    if len(segments) != 3:
        return None
    try:
        header, claims = (json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))) for part in segments[:2])
    except ValueError:
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    return header, claims
