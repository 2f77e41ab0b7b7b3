"""422 answers that say which field is wrong without repeating what was sent (a password, a 5 MB email)."""

from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


def without_input(error: dict[str, Any]) -> dict[str, Any]:
    """One validation error as FastAPI shows it, minus `input` and any `ctx` value that is not a number."""
    shown = {key: value for key, value in error.items() if key not in ("input", "ctx")}
    # Numbers are limits (max_length=1024); strings and exceptions may quote the input.
    limits = {key: value for key, value in error.get("ctx", {}).items()
              if isinstance(value, int | float) and not isinstance(value, bool)}
    return shown | {"ctx": limits} if limits else shown


async def validation_error_response(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 body, `{"detail": [...]}`, with no echo of the request."""
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": jsonable_encoder([without_input(error) for error in exc.errors()])},
                        status_code=422)
