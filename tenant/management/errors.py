"""The Management API's errors, in Auth0's body: statusCode, error, message, errorCode."""

from http import HTTPStatus

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

MISSING_AUTHENTICATION = "Missing authentication"
INVALID_TOKEN = "Invalid token"
BAD_AUDIENCE = "Bad audience: {audience}"
EXPIRED_TOKEN = "Expired token received for JSON Web Token validation"
INSUFFICIENT_SCOPE = "Insufficient scope, expected any of: {scopes}"
USER_NOT_FOUND = "The user does not exist."
ROLE_NOT_FOUND = "The role does not exist."
CLIENT_NOT_FOUND = "The client does not exist"
RESOURCE_SERVER_NOT_FOUND = "The resource server does not exist"
USER_EXISTS = "The user already exists."
ROLE_EXISTS = "Role name already exists"
NOT_FOUND = "Not Found"
OUT_OF_REACH = ("These credentials may not change this user here: on a deployed site the demo users belong to "
                "everyone, and a visitor's users to the application that created them")
ROLE_OUT_OF_REACH = "These credentials may not change this role here: the demo roles belong to everyone"
READ_ONLY_CREDENTIALS = ("The public demo credentials are read-only on a deployed site: create your own application "
                         "on /u/applications to create and change users and roles")
TOO_MANY = "This application may create at most {limit} {things}"


class ManagementError(Exception):
    """An answer of the Management API other than success."""

    def __init__(self, status: int, message: str, error_code: str | None = None, **extra: object) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_code = error_code
        self.extra = extra

    def response(self) -> JSONResponse:
        """Auth0's error body."""
        body: dict = {"statusCode": self.status, "error": HTTPStatus(self.status).phrase, "message": self.message}
        if self.error_code:
            body["errorCode"] = self.error_code
        body.update(self.extra)
        headers = {"WWW-Authenticate": "Bearer"} if self.status == 401 else None
        return JSONResponse(body, status_code=self.status, headers=headers)


def bad_request(message: str, error_code: str = "invalid_body") -> ManagementError:
    """A 400 for a body or query Auth0 would refuse."""
    return ManagementError(400, message, error_code)


async def management_error(request: Request, error: ManagementError) -> JSONResponse:
    """Answer a ManagementError."""
    return error.response()


async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    """FastAPI's validation failures as Auth0's 400 (query string or body)."""
    first = error.errors()[0] if error.errors() else {}
    where = first.get("loc", ("body",))[0]
    field = ".".join(str(part) for part in first.get("loc", ())[1:]) or "value"
    message = f"{'Query validation' if where == 'query' else 'Payload validation'} error: " \
              f"'{first.get('msg', 'Invalid value')}' on property {field}."
    return bad_request(message, "invalid_query_string" if where == "query" else "invalid_body").response()


async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    """Routing errors (no such path, method not allowed) in Auth0's body."""
    return ManagementError(error.status_code, NOT_FOUND if error.status_code == 404 else str(error.detail)).response()
