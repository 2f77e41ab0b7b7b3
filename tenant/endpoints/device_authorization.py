"""Device authorization (/oauth/device/code, RFC 8628): a device code and a user code."""

import secrets

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tenant.directory import DEVICE_CODE_GRANT, Client
from tenant.grants.base import check_audience
from tenant.grants.device_code import (
    DEVICE_CODE_KIND, DEVICE_CODE_LIFETIME, EXPIRED_GRACE, FLOW_KIND, POLL_INTERVAL, USER_CODE_KIND, now, user_code_key,
)
from tenant.http import BadRequest, body_parameters, client_address, known_authorize_parameters
from tenant.logs import page_events
from tenant.logs.codes import FAILED_DEVICE_AUTHORIZATION
from tenant.oauth import Auth0Error, missing_parameter, to_response
from tenant.security.throttle import Throttle
from tenant.services import Tenant, tenant_of

# Auth0's default user-code alphabet: consonants only, so that no word can be spelt by chance.
USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
USER_CODE_LENGTH = 8
# Device codes one address may ask for per window: a room of 100 behind one address can each start the CLI thrice.
DEVICE_CODES_PER_ADDRESS = Throttle("device-codes", 300, 15 * 60)


def new_user_code() -> str:
    """A random user code such as BDFG-HJKL."""
    code = "".join(secrets.choice(USER_CODE_ALPHABET) for _ in range(USER_CODE_LENGTH))
    return f"{code[:4]}-{code[4:]}"


def device_client(tenant: Tenant, params: dict[str, str]) -> Client:
    """The client asking for a device code, refused as Auth0 refuses it."""
    if not params.get("client_id"):
        raise missing_parameter("client_id")
    client = tenant.directory.client(params["client_id"])
    if client is None:
        raise Auth0Error("unauthorized_client", "Unknown client.", 403)
    if not client.check_grant_type(DEVICE_CODE_GRANT):
        raise Auth0Error("unauthorized_client", f"Grant type '{DEVICE_CODE_GRANT}' not allowed for the client.", 403)
    return client


def start_flow(tenant: Tenant, params: dict[str, str]) -> dict:
    """Issue a device code and a user code, and the body Auth0 answers with."""
    client = device_client(tenant, params)
    audience = params.get("audience") or None
    check_audience(tenant.directory, audience)
    device_code, user_code, flow = secrets.token_urlsafe(32), new_user_code(), secrets.token_urlsafe(16)
    lifetime = DEVICE_CODE_LIFETIME + EXPIRED_GRACE
    store = tenant.store
    store.put_grant(FLOW_KIND, flow, {"client_id": client.client_id, "scope": params.get("scope", ""),
                                      "audience": audience, "user_code": user_code,
                                      "expires_at": now() + DEVICE_CODE_LIFETIME}, lifetime)
    store.put_grant(DEVICE_CODE_KIND, device_code, {"flow": flow}, lifetime)
    store.put_grant(USER_CODE_KIND, user_code_key(user_code), {"flow": flow}, DEVICE_CODE_LIFETIME)
    verification_uri = f"{tenant.config.issuer}activate"
    return {"device_code": device_code, "user_code": user_code, "verification_uri": verification_uri,
            "expires_in": DEVICE_CODE_LIFETIME, "interval": POLL_INTERVAL,
            "verification_uri_complete": f"{verification_uri}?user_code={user_code}"}


async def device_code(request: Request) -> Response:
    """POST /oauth/device/code."""
    tenant, address = tenant_of(request), client_address(request)
    if DEVICE_CODES_PER_ADDRESS.exhausted(tenant.store, address):
        body = {"error": "too_many_requests", "error_description": "Too many device codes from your address."}
        return JSONResponse(body, status_code=429, headers=DEVICE_CODES_PER_ADDRESS.retry_after())
    DEVICE_CODES_PER_ADDRESS.count(tenant.store, address)
    params: dict[str, str] = {}
    try:
        params = await body_parameters(request)
        known_authorize_parameters([(name, params[name]) for name in ("scope", "audience") if name in params])
        return JSONResponse(start_flow(tenant, params))
    except BadRequest as error:
        page_events.record(request, FAILED_DEVICE_AUTHORIZATION, description=error.description)
        return error.response()
    except Auth0Error as error:
        page_events.record(request, FAILED_DEVICE_AUTHORIZATION, client_id=params.get("client_id"),
                           description=error.description)
        return to_response(*error())
