"""A stand-in for an Auth0 tenant that serves only its JWKS, over HTTPS on 127.0.0.1 (`FAKE_JWKS_FILE` names it)."""

import json
import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def jwks(request: Request) -> JSONResponse:
    """The tenant's public keys."""
    return JSONResponse(json.loads(Path(os.environ["FAKE_JWKS_FILE"]).read_text()))


app = Starlette(routes=[Route("/.well-known/jwks.json", jwks)])
