"""What the site and its tenant both do while the database does not answer: 503, Retry-After, one log line."""

import logging

from storage import first_line

RETRY_AFTER_SECONDS = "5"
RETRY_AFTER = {"Retry-After": RETRY_AFTER_SECONDS}


def log_unavailable(logger: logging.Logger, path: str, error: Exception) -> None:
    """The reason on one line, never a traceback: the operator sees why, the visitor sees a 503."""
    logger.warning("Database unavailable at %s: %s", path, first_line(error))
