"""Reading requests for the tenant: bounded bodies, form or JSON, one value per parameter."""

import base64
import json
import re
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse

from server.addresses import is_ip_address, scope_client_address
from server.in_process import is_in_process
from tenant.oauth import TenantRequest

FORWARDED_FOR_HEADER = "auth0-forwarded-for"
MAX_BODY_BYTES = 64 * 1024
MAX_PARAMETERS = 64
# The /authorize parameters the tenant keeps while the login form is open, each with its longest accepted value;
# any other parameter is dropped, so a pending login costs the database at most a few kilobytes.
AUTHORIZE_PARAMETER_LIMITS = {
    "response_type": 64, "response_mode": 32, "client_id": 128, "redirect_uri": 2048, "scope": 1024,
    "audience": 512, "state": 2048, "nonce": 512, "code_challenge": 128, "code_challenge_method": 16,
    "prompt": 64, "max_age": 16, "screen_hint": 32, "login_hint": 320, "ui_locales": 128, "connection": 128,
    "acr_values": 512,
}
# Parameters whose JSON value is an object (Auth0's sign-up `user_metadata`), passed on as JSON text.
OBJECT_PARAMETERS = ("user_metadata",)


def whole_number(value: str) -> int | None:
    """A whole number written in ASCII digits (at most ten), else None: "²".isdigit() is true but int("²") fails."""
    return int(value) if re.fullmatch(r"[0-9]{1,10}", value) else None


class BadRequest(Exception):
    """A request the tenant cannot read; answered as Auth0's `invalid_request`."""

    def __init__(self, description: str, status_code: int = 400) -> None:
        super().__init__(description)
        self.description = description
        self.status_code = status_code

    def response(self) -> JSONResponse:
        """The JSON error body."""
        return JSONResponse({"error": "invalid_request", "error_description": self.description},
                            status_code=self.status_code)


async def read_body(request: Request) -> bytes:
    """The body, refusing more than MAX_BODY_BYTES without reading it all."""
    declared = whole_number(request.headers.get("content-length", "0"))
    if declared is None or declared > MAX_BODY_BYTES:
        raise BadRequest("Request body too large" if declared else "Invalid Content-Length", 413)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY_BYTES:
            raise BadRequest("Request body too large", 413)
    return bytes(body)


def json_document(body: bytes) -> object:
    """A JSON body read into Python, refusing nesting too deep to read and text that is not valid Unicode."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise BadRequest("The body is not valid JSON") from None
    try:
        # A JSON escape such as "\ud800" yields a lone surrogate, which no database or hash can take.
        json.dumps(document, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        raise BadRequest("The body holds text that is not valid Unicode") from None
    return document


def parse_pairs(body: bytes, content_type: str) -> list[tuple[str, str]]:
    """Parameters of a form or JSON body; JSON nulls (as Auth0's SDKs send) count as absent."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return []
    if media_type == "application/json":
        document = json_document(body)
        if not isinstance(document, dict):
            raise BadRequest("The JSON body must be an object")
        pairs = []
        for key, value in document.items():
            if value is None:
                continue
            if key in OBJECT_PARAMETERS and isinstance(value, dict):
                pairs.append((key, json.dumps(value)))
                continue
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise BadRequest(f"Parameter '{key}' must be a string")
            pairs.append((key, str(value)))
        return pairs
    if media_type == "application/x-www-form-urlencoded":
        try:
            return parse_qsl(body.decode(), keep_blank_values=True, max_num_fields=MAX_PARAMETERS)
        except (ValueError, UnicodeDecodeError):
            raise BadRequest("The form body cannot be read") from None
    raise BadRequest("Send the parameters as application/x-www-form-urlencoded or application/json")


def single_valued(pairs: list[tuple[str, str]], allow_repeats: bool = False) -> dict[str, list[str]]:
    """Group values by name; RFC 6749 allows each parameter once."""
    if len(pairs) > MAX_PARAMETERS:
        raise BadRequest("Too many parameters")
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
        if len(grouped[key]) > 1 and not allow_repeats:
            raise BadRequest(f"Parameter '{key}' must appear only once")
    return grouped


def unreadable_basic_credentials(request: Request) -> bool:
    """True for an `Authorization: Basic` header whose credentials are not base64 of UTF-8 text."""
    scheme, _, credentials = request.headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        base64.b64decode(credentials.strip()).decode()
    except ValueError:  # binascii.Error and UnicodeDecodeError both are
        return True
    return False


def client_address(request: Request) -> str:
    """The caller's address, which it cannot choose (see server.addresses.client_address)."""
    hops = request.app.state.tenant.config.trusted_proxy_hops
    return (scope_client_address(request.scope, hops) or "unknown")[:64]


def end_user_address(request: Request) -> str:
    """The caller's address; the site, calling in-process, may name the address of the user it calls for."""
    forwarded = request.headers.get(FORWARDED_FOR_HEADER, "").strip()
    in_process = is_in_process(request.scope) and is_ip_address(forwarded)
    return forwarded if in_process else client_address(request)


async def token_request(request: Request, issuer: str) -> TenantRequest:
    """A token endpoint request read into authlib's form."""
    body = await read_body(request)
    pairs = parse_pairs(body, request.headers.get("content-type", ""))
    oauth_request = TenantRequest("POST", f"{issuer}oauth/token", request.headers, single_valued(pairs),
                                  client_address(request))
    oauth_request.from_the_site = is_in_process(request.scope)
    return oauth_request


async def body_parameters(request: Request) -> dict[str, str]:
    """A form or JSON body as single-valued parameters."""
    body = await read_body(request)
    pairs = parse_pairs(body, request.headers.get("content-type", ""))
    return {key: values[0] for key, values in single_valued(pairs).items()}


def known_authorize_parameters(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The parameters /authorize understands; BadRequest when one is longer than its limit."""
    kept = []
    for name, value in pairs:
        limit = AUTHORIZE_PARAMETER_LIMITS.get(name)
        if limit is None:
            continue
        if len(value) > limit:
            raise BadRequest(f"Parameter '{name}' is too long (at most {limit} characters)")
        kept.append((name, value))
    return kept


def authorize_request(request: Request, query_pairs: list[tuple[str, str]], issuer: str) -> TenantRequest:
    """An authorization request (repeats are kept so that authlib can refuse them with a redirect)."""
    return TenantRequest("GET", f"{issuer}authorize", request.headers,
                         single_valued(query_pairs, allow_repeats=True), client_address(request))
