"""Answers for a moment when passwords cannot be checked: 503 with Retry-After."""

from collections.abc import Callable

from starlette.responses import JSONResponse, Response

from tenant.security.hashing import HashingBusy

HASHING_BUSY = "Too many sign-ins are being checked at once; try again in a few seconds."
# A busy hash pool in each endpoint's error shape: OAuth's, and the database connection's.
OAUTH_BUSY = {"error": "temporarily_unavailable", "error_description": HASHING_BUSY}
CONNECTION_BUSY = {"name": "ServiceUnavailableError", "code": "temporarily_unavailable", "description": HASHING_BUSY,
                   "statusCode": 503}


def retry_after(busy: HashingBusy) -> dict[str, str]:
    """The Retry-After header of a 503 for a busy hash pool."""
    return {"Retry-After": str(busy.retry_after)}


def busy_json(busy: HashingBusy, body: dict) -> JSONResponse:
    """The 503 of a JSON endpoint whose password hashing is busy, with Retry-After."""
    return JSONResponse(body, status_code=503, headers=retry_after(busy))


def busy_page(render: Callable[..., Response], busy: HashingBusy, **context: object) -> Response:
    """A form shown again with 503 and Retry-After, saying that passwords cannot be checked right now."""
    return render(503, retry_after(busy), error=HASHING_BUSY, **context)
