"""A login or sign-up form refused as busy keeps what was typed, sealed, so that the page can send it again itself."""

# The busy page must not show the password, yet its script re-sends the form once Retry-After has passed. What was
# typed goes back in a hidden field, encrypted and authenticated with a key that lives only in this process's memory
# (Fernet: AES-CBC with an HMAC) and good for a minute. A retry that reaches another worker, or comes too late, cannot
# be opened: the form asks for the password again.

import json

from cryptography.fernet import Fernet, InvalidToken

RETRY_FIELD = "retry"
RETRY_LIFETIME_SECONDS = 60
_FERNET = Fernet(Fernet.generate_key())


def seal_form(state: str, fields: dict[str, str]) -> str:
    """The typed fields, sealed for the form of this login transaction."""
    return _FERNET.encrypt(json.dumps({"state": state, "fields": fields}).encode()).decode()


def open_form(state: str, sealed: str) -> dict[str, str] | None:
    """The fields sealed for this transaction's form, or None when they cannot be opened (expired, not ours)."""
    try:
        content = json.loads(_FERNET.decrypt(sealed.encode(), ttl=RETRY_LIFETIME_SECONDS))
    except (InvalidToken, ValueError, UnicodeError):
        return None
    fields = content.get("fields") if isinstance(content, dict) and content.get("state") == state else None
    if not isinstance(fields, dict) or not all(isinstance(value, str) for value in fields.values()):
        return None
    return fields


def with_retried_fields(state: str, form: dict[str, str], names: tuple[str, ...]) -> dict[str, str] | None:
    """The form, with sealed fields filling those left empty; None when a retry was sent but cannot be opened."""
    sealed = form.get(RETRY_FIELD)
    if not sealed or form.get("password"):
        return form
    fields = open_form(state, sealed)
    if fields is None:
        return None
    return {**form, **{name: fields[name] for name in names if name in fields and not form.get(name)}}
