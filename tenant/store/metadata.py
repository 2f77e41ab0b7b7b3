"""Auth0's rules for user_metadata and app_metadata: top-level merge, null removes a key, {} clears, bounded size."""

import json

# Auth0 allows far more; a public demo keeps what one visitor may store small.
MAX_METADATA_BYTES = 16 * 1024
NOT_AN_OBJECT = "must be an object"
BAD_FIELD_NAME = "field names must not contain '.' or '$'"
TOO_LARGE = f"must be at most {MAX_METADATA_BYTES} bytes as JSON"


class MetadataError(ValueError):
    """Metadata Auth0 would refuse; the message says why."""


def checked(name: str, value: object) -> dict:
    """`value` as stored metadata, or MetadataError naming `name`."""
    if not isinstance(value, dict):
        raise MetadataError(f"{name} {NOT_AN_OBJECT}")
    if any("." in key or "$" in key for key in value):
        raise MetadataError(f"{name} {BAD_FIELD_NAME}")
    if len(json.dumps(value, ensure_ascii=False).encode()) > MAX_METADATA_BYTES:
        raise MetadataError(f"{name} {TOO_LARGE}")
    return value


def merged(name: str, current: dict, patch: object) -> dict:
    """`current` after a PATCH of `patch`: top-level keys merged, null values removed, an empty object clears all."""
    if not isinstance(patch, dict):
        raise MetadataError(f"{name} {NOT_AN_OBJECT}")
    if not patch:
        return {}
    result = {**current, **patch}
    return checked(name, {key: value for key, value in result.items() if value is not None})
