"""Keeps one-time codes and tokens out of uvicorn's access log."""

import logging
import re

ACCESS_LOGGER = "uvicorn.access"
SECRET_PARAMETERS = ("code", "state", "ticket", "access_token", "id_token", "refresh_token")
SECRET_VALUE = re.compile(rf"([?&](?:{'|'.join(SECRET_PARAMETERS)})=)[^&#]*")
HIDDEN = "…"


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
    """Add the filter to uvicorn's access logger, once however many apps are built."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(existing, HideQuerySecrets) for existing in logger.filters):
        logger.addFilter(HideQuerySecrets())
