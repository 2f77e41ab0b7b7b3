"""Keeps one-time codes and tokens out of uvicorn's access log, and terminal control codes out of every log line."""

import logging
import re
from collections.abc import Callable

ACCESS_LOGGER = "uvicorn.access"
SECRET_PARAMETERS = ("code", "state", "ticket", "access_token", "id_token", "refresh_token", "id_token_hint",
                     "logout_hint", "user_code", "device_code")
SECRET_VALUE = re.compile(rf"([?&](?:{'|'.join(SECRET_PARAMETERS)})=)[^&#]*")
HIDDEN = "…"
UNPRINTABLE = re.compile(r"[^\t\x20-\x7e\xa0-\U0010ffff]|[\u2028\u2029\ud800-\udfff]")


def printable(text: str) -> str:
    """The text with control characters (escape codes, line breaks) and lone surrogates shown as escapes."""
    return UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape", "backslashreplace").decode(), text)


def escaping_record_factory(make_record: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    """A log record factory that escapes the string arguments of every record (an email, a Host header, a path)."""

    def make_escaped_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if isinstance(record.args, tuple):
            record.args = tuple(printable(arg) if isinstance(arg, str) else arg for arg in record.args)
        return record

    make_escaped_record.escapes = True  # type: ignore[attr-defined]
    return make_escaped_record


def hide_secrets(path: str) -> str:
    """The path with the values of its secret query parameters replaced by an ellipsis."""
    return SECRET_VALUE.sub(rf"\g<1>{HIDDEN}", path)


class HideQuerySecrets(logging.Filter):
    """Rewrites the path of uvicorn's access-log records: `(client, method, path, http_version, status)`."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Hide the secrets in the record's path; always keep the record."""
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], hide_secrets(args[2]), *args[3:])
        return True


def install_log_hygiene() -> None:
    """Add the filter to uvicorn's access logger and escape every record's arguments, once however many apps."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(existing, HideQuerySecrets) for existing in logger.filters):
        logger.addFilter(HideQuerySecrets())
    if not getattr(logging.getLogRecordFactory(), "escapes", False):
        logging.setLogRecordFactory(escaping_record_factory(logging.getLogRecordFactory()))
