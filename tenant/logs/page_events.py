"""The log events of the tenant's pages and database-connection endpoints, recorded from their requests."""

from starlette.requests import Request

from tenant.logs import codes
from tenant.logs.journal import never_fails
from tenant.logs.origin import origin_of
from tenant.oauth import TenantRequest
from tenant.services import tenant_of
from tenant.store.store import UserRecord
from tenant.store.users import SignIn, User


@never_fails
def record(request: Request, event_type: str, *, client_id: object = None, user: User | None = None,
           user_name: object = None, description: str = "", session_id: str | None = None,
           details: dict | None = None) -> None:
    """Record an event of this request; a failure's description is also its details' error message."""
    if event_type.startswith("f") or event_type.startswith("limit_"):
        details = {**(details or {}), "error": {"message": description}}
    tenant_of(request).logs.record(event_type, origin_of(request), client_id=client_id, user=user,
                                   user_name=user_name, description=description, details=details,
                                   session_id=session_id)


def authorization_answered(request: Request, oauth_request: TenantRequest, user: User, session: dict) -> None:
    """A login's end at /authorize: success (silent with prompt=none), or refused by a post-login Action."""
    data = oauth_request.payload.data
    if oauth_request.log_type == codes.FAILED_LOGIN:
        event_type, description = codes.FAILED_LOGIN, oauth_request.log_description
    else:
        silent = data.get("prompt") == "none"
        event_type, description = (codes.SUCCESS_SILENT_AUTH if silent else codes.SUCCESS_LOGIN), ""
    record(request, event_type, client_id=data.get("client_id"), user=user, description=description,
           session_id=session.get("sid"), details={"audience": data.get("audience"), "scope": data.get("scope")})


def client_of_transaction(transaction: dict) -> str | None:
    """The client a pending login was started for."""
    return dict(transaction.get("query", [])).get("client_id")


def login_refused(request: Request, event_type: str, client_id: object, typed: object, description: str) -> None:
    """A login or sign-up refused before any password was checked (a lockout, a limit per address)."""
    record(request, event_type, client_id=client_id, user_name=typed, description=description)


def wrong_credentials(request: Request, signed_in: SignIn, client_id: object, typed: object, description: str) -> None:
    """A failed login: a wrong password for a user that exists (fp), or an email that names no user (fu)."""
    event_type = codes.WRONG_PASSWORD if signed_in.named else codes.WRONG_USERNAME
    record(request, event_type, client_id=client_id, user=signed_in.named, user_name=typed, description=description)


def signed_up(request: Request, client_id: object, typed: object, user: User | None, failure: str = "") -> None:
    """A sign-up: the user it created (ss), or why it was refused (fs)."""
    event_type = codes.FAILED_SIGNUP if user is None else codes.SUCCESS_SIGNUP
    record(request, event_type, client_id=client_id, user=user, user_name=typed, description=failure)


def reset_requested(request: Request, client_id: object, typed: str, found: UserRecord | None, unknown: str) -> None:
    """A password reset asked for: for a user (scpr), or for an email that names none (fcpr)."""
    if found is None:
        record(request, codes.FAILED_CHANGE_PASSWORD_REQUEST, client_id=client_id, user_name=typed, description=unknown)
    else:
        record(request, codes.SUCCESS_CHANGE_PASSWORD_REQUEST, client_id=client_id, user=User(found))
