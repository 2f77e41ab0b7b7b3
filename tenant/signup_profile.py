"""The profile fields Auth0's /dbconnections/signup accepts besides email and password, checked with its limits."""

import json
from urllib.parse import urlsplit

from tenant.store.users import SignupError

# Auth0's limits on the profile attributes of a database-connection sign-up.
TEXT_LIMITS = {"given_name": 150, "family_name": 150, "name": 300, "nickname": 300, "picture": 2000, "username": 128}
METADATA_MAX_PROPERTIES = 10
METADATA_MAX_NAME = 100
METADATA_MAX_VALUE = 500


def metadata_of(value: str) -> dict[str, str]:
    """user_metadata: an object of at most ten string properties, as Auth0 allows at sign-up."""
    try:
        metadata = json.loads(value)
    except (ValueError, RecursionError):
        metadata = None
    if not isinstance(metadata, dict):
        raise SignupError("invalid_signup", "user_metadata must be an object")
    if len(metadata) > METADATA_MAX_PROPERTIES:
        raise SignupError("invalid_signup", f"user_metadata may have at most {METADATA_MAX_PROPERTIES} properties")
    for name, item in metadata.items():
        if len(name) > METADATA_MAX_NAME:
            raise SignupError("invalid_signup", f"user_metadata property names have at most {METADATA_MAX_NAME} characters")
        if not isinstance(item, str) or len(item) > METADATA_MAX_VALUE:
            raise SignupError("invalid_signup", f"user_metadata.{name} must be a string of at most "
                              f"{METADATA_MAX_VALUE} characters")
    return metadata


def signup_profile(params: dict[str, str]) -> dict[str, object]:
    """The profile attributes of a sign-up request, or SignupError naming the first one Auth0 would refuse."""
    profile: dict[str, object] = {}
    for name, limit in TEXT_LIMITS.items():
        value = params.get(name)
        if value is None:
            continue
        if not value.strip() or len(value) > limit:
            raise SignupError("invalid_signup", f"{name} must be 1 to {limit} characters")
        if name == "picture" and urlsplit(value).scheme not in ("http", "https"):
            raise SignupError("invalid_signup", "picture must be an http(s) URL")
        profile[name] = value
    if params.get("user_metadata") is not None:
        profile["user_metadata"] = metadata_of(params["user_metadata"])
    return profile
