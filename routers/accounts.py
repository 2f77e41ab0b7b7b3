"""Sign-up and token API over the tenant's Authentication API."""

# The password grant hands a user's password to this server: it is for trusted first-party apps only. Browser apps and
# third-party apps use the authorization code flow with PKCE (`/auth/login`).

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, EmailStr, Field, SecretStr

from flow_inspector.records import PASSWORD_SHOWN, recording_into
from flow_inspector.store import FlowStore
from flow_inspector.visitors import visitor_for_request
from progress.milestones import note_failure
from routers.deps import ClientAddress, ClientBrowser, Flows, TenantApi
from tenant_client.authentication_api import AuthenticationApi, TenantReply, TenantUnreachable

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/auth", tags=["sign-up and token API"])
# Bodies over this size are refused with 413 before they are parsed (BodySizeLimit, added in main.py).
MAX_BODY_BYTES = 64 * 1024
LIMITED_PATHS = frozenset({"/auth/signup", "/auth/token"})

TENANT_UNREACHABLE = "The tenant did not answer; try again in a moment."
TENANT_ERROR = "The tenant answered with an error this API cannot pass on."
MFA_REQUIRED = ("Multifactor authentication required: this account has an authenticator app, and this endpoint has no "
                "step for its code. Log in on the tenant's page (/auth/login), or finish the password grant with "
                "Auth0's MFA API (tutorial step 19).")
WRONG_CREDENTIALS = "Wrong email or password."
# Sign-up refusals that say this site is misconfigured, not that the visitor's input is wrong.
SETUP_ERRORS = frozenset({
    "invalid_client", "invalid_connection", "invalid_request", "invalid_body", "unauthorized_client",
})

NOT_UNICODE = "holds a lone surrogate (a \\ud800-style escape), which is not valid Unicode text"


def valid_unicode(secret: SecretStr) -> SecretStr:
    """Refuse text no UTF-8 encoder can send on, as JSON's escapes can produce."""
    try:
        secret.get_secret_value().encode()
    except UnicodeEncodeError:
        raise ValueError(NOT_UNICODE) from None
    return secret


Password = Annotated[SecretStr, Field(min_length=1, max_length=1024), AfterValidator(valid_unicode)]


class Credentials(BaseModel):
    """An email and password, as both endpoints take them."""

    email: EmailStr
    password: Password


class UserCreated(BaseModel):
    """Answer to a successful sign-up."""

    message: str = "User Created"


class AccessToken(BaseModel):
    """Answer to a successful token request: the access token (a JWT for the API)."""

    data: str


class ErrorBody(BaseModel):
    """An error, with the tenant's reason when it gave one."""

    error: str
    code: str | None = None
    description: Any = None


def error_bodies(*status_codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI: these statuses answer an ErrorBody."""
    return {status_code: {"model": ErrorBody} for status_code in status_codes}


def error_response(status_code: int, error: str, reply: TenantReply | None = None, **reason: Any) -> JSONResponse:
    """A JSON error; Retry-After is passed on when the tenant sent one."""
    body = ErrorBody(error=error, **reason).model_dump(exclude_none=True)
    headers = {"Retry-After": reply.retry_after} if reply is not None and reply.retry_after else None
    return JSONResponse(body, status_code=status_code, headers=headers)


def tenant_reason(reply: TenantReply) -> dict[str, Any]:
    """The tenant's error code and description, in either of its two error shapes."""
    code = reply.body.get("code") or reply.body.get("error")
    description = reply.body.get("description") or reply.body.get("error_description") or reply.body.get("message")
    return {"code": code if isinstance(code, str) else None, "description": description}


def upstream_failure(operation: str, reply: TenantReply) -> JSONResponse:
    """429 and 503 (the tenant busy or briefly unavailable) passed on; anything else unexpected is a fault: 502."""
    if reply.status_code == 429:
        return error_response(429, "Too Many Requests", reply, **tenant_reason(reply))
    if reply.status_code == 503 and tenant_reason(reply)["description"]:
        return error_response(503, "Service Unavailable", reply, **tenant_reason(reply))
    if reply.status_code == 503:
        return error_response(503, "Service Unavailable", reply, description=TENANT_UNREACHABLE)
    logger.error("%s: the tenant answered %s (%s)", operation, reply.status_code, tenant_reason(reply)["code"])
    return error_response(502, "Bad Gateway", reply, description=TENANT_ERROR, code=tenant_reason(reply)["code"])


def unreachable(operation: str, error: TenantUnreachable) -> JSONResponse:
    """503 when the tenant cannot be reached."""
    logger.error("%s: %s", operation, error)
    return error_response(503, "Service Unavailable", description=TENANT_UNREACHABLE)


@router.post("/signup", status_code=201, response_model=UserCreated, responses=error_bodies(400, 413, 429, 502, 503))
async def signup(request: Request, credentials: Credentials, tenant: TenantApi, client_ip: ClientAddress,
                 browser: ClientBrowser) -> Any:
    """Create a user in the tenant's database connection (`POST /dbconnections/signup`)."""
    try:
        reply = await tenant.signup(credentials.email, credentials.password.get_secret_value(), client_ip, browser)
    except TenantUnreachable as error:
        return unreachable("sign-up", error)
    logger.info("sign-up for %s: the tenant answered %s", credentials.email, reply.status_code)
    if reply.status_code in (200, 201):
        return JSONResponse(UserCreated().model_dump(), status_code=201)
    if reply.status_code == 400 and tenant_reason(reply)["code"] not in SETUP_ERRORS:
        note_failure(request, f"signup-{tenant_reason(reply)['code']}")
        return error_response(400, "Bad Request", reply, **tenant_reason(reply))
    return upstream_failure("sign-up", reply)


@router.post("/token", response_model=AccessToken, responses=error_bodies(401, 403, 413, 429, 502, 503))
async def token(request: Request, credentials: Credentials, tenant: TenantApi, client_ip: ClientAddress,
                browser: ClientBrowser, flows: Flows) -> Any:
    """Exchange an email and password for an access token (password grant: trusted first-party apps only)."""
    return await password_token(request, credentials, tenant, client_ip, browser, flows)


async def password_token(request: Request, credentials: Credentials, tenant: AuthenticationApi,
                         client_ip: str | None, browser: str | None, flows: FlowStore,
                         demo_lifetime: int | None = None) -> Any:
    """The password grant and its answer, recorded for the visitor's flow inspector."""
    visitor = visitor_for_request(request)
    flow = flows.new_flow(f"Password grant (POST {request.url.path})") if visitor is not None else None
    if flow is not None:
        flow.browser_request = {"method": "POST", "url": request.url.path,
                                "json": {"email": credentials.email, "password": PASSWORD_SHOWN}}
        flow.outcome = "answered"
    try:
        with recording_into(flow):
            reply = await tenant.password_grant(credentials.email, credentials.password.get_secret_value(), client_ip,
                                                browser, demo_lifetime)
    except TenantUnreachable as error:
        return unreachable("token", error)
    finally:
        await flows.keep(visitor, flow)
    logger.info("token for %s: the tenant answered %s", credentials.email, reply.status_code)
    access_token = reply.body.get("access_token")
    if reply.status_code == 200 and isinstance(access_token, str) and access_token:
        return AccessToken(data=access_token)
    if reply.status_code == 403 and reply.body.get("error") == "invalid_grant":
        description = tenant_reason(reply)["description"] or WRONG_CREDENTIALS
        return error_response(401, "Unauthorized", reply, code="invalid_grant", description=description)
    if reply.status_code == 403 and reply.body.get("error") == "access_denied":
        return error_response(403, "Forbidden", reply, **tenant_reason(reply))
    if reply.status_code == 403 and reply.body.get("error") == "mfa_required":
        return error_response(403, "Forbidden", reply, code="mfa_required", description=MFA_REQUIRED)
    return upstream_failure("token", reply)
