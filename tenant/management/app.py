"""The Management API v2 as one FastAPI app, mounted by the tenant at /api/v2."""

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from tenant.logs.management_events import ManagementEvents
from tenant.management import directory_api, logs_api, roles_api, user_rbac_api, users_api
from tenant.management.body_limit import ManagementBodyLimit
from tenant.management.errors import ManagementError, http_error, management_error, validation_error
from tenant.security.hashing import HashingBusy
from tenant.services import Tenant
from tenant.unstorable import UNSTORABLE

HASHING_BUSY = "Too many passwords are being hashed at once; try again in a few seconds."


async def unstorable(request, error: DataError):
    """Text the database refuses to store (a NUL character): 400 in Auth0's body."""
    return ManagementError(400, UNSTORABLE, "invalid_body").response()


async def hashing_busy(request, busy: HashingBusy):
    """A busy hash pool: 429 with Retry-After, in Auth0's body."""
    response = ManagementError(429, HASHING_BUSY, "too_many_requests").response()
    response.headers["Retry-After"] = str(busy.retry_after)
    return response


def management_app(tenant: Tenant) -> FastAPI:
    """The Management API of `tenant`."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.state.tenant = tenant
    for router in (users_api.router, user_rbac_api.router, roles_api.router, directory_api.router, logs_api.router):
        app.include_router(router)
    app.add_exception_handler(ManagementError, management_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(HashingBusy, hashing_busy)
    app.add_exception_handler(DataError, unstorable)
    app.add_middleware(ManagementEvents, journal=tenant.logs)
    app.add_middleware(ManagementBodyLimit)
    return app
