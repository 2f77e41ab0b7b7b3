"""The progress strip: tutorial milestones a visitor has really reached on this site, kept in their session."""

# Recorded as the site answers (never reported by the browser): a successful call to `/api/scoped`, a sign-in, a
# logout... A login or logout clears the session; the milestones reached so far are put back.

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send


SESSION_KEY = "progress"
# Request-state entries that outer middleware (the room's recorder) reads once the answer has started.
MILESTONES_STATE = "milestones_reached"
FAILURE_STATE = "failure"
ACCEPTED_CLAIMS_STATE = "accepted_token_claims"


@dataclass(frozen=True)
class Exchange:
    """What the site saw of one request and its answer."""

    method: str
    path: str
    status: int
    signed_in: bool
    token_claims: dict[str, Any]
    was_signed_in: bool = False


@dataclass(frozen=True)
class Milestone:
    """One thing a visitor does, the step that teaches it, and how to recognise it in an exchange."""

    key: str
    label: str
    step: str
    reached_by: Callable[[Exchange, str], bool]


def answered(method: str, path: str, status: int) -> Callable[[Exchange, str], bool]:
    """Reached when `method path` is answered with `status`."""
    return lambda exchange, _: (exchange.method, exchange.path, exchange.status) == (method, path, status)


def api_call_with(test: Callable[[dict[str, Any], str], bool]) -> Callable[[Exchange, str], bool]:
    """Reached when an /api endpoint accepts a token whose claims pass `test`."""
    return lambda exchange, swagger_client_id: (
        exchange.path.startswith("/api/") and exchange.status == 200
        and bool(exchange.token_claims) and test(exchange.token_claims, swagger_client_id)
    )


def any_of(*rules: Callable[[Exchange, str], bool]) -> Callable[[Exchange, str], bool]:
    """Reached when any of `rules` is."""
    return lambda exchange, swagger_client_id: any(rule(exchange, swagger_client_id) for rule in rules)


def tenant_form_accepted(form: str) -> Callable[[Exchange, str], bool]:
    """Reached when the built-in tenant's login or sign-up form is posted and the tenant lets the visitor through."""
    path = f"/u/{form}"
    return lambda exchange, _: exchange.method == "POST" and exchange.path == path and exchange.status < 400


def issued_to_swagger(claims: dict[str, Any], swagger_client_id: str) -> bool:
    """True for a token issued to Swagger UI's client, which only an interactive sign-in at the tenant gets."""
    return claims.get("azp") == swagger_client_id


MILESTONES = (
    Milestone("signed-in", "Signed in through the tenant", "web-login-starlette",
              any_of(lambda exchange, _: exchange.signed_in, tenant_form_accepted("login"),
                     tenant_form_accepted("signup"), api_call_with(issued_to_swagger))),
    Milestone("signed-up", "Signed up a new user", "signup-and-token",
              any_of(answered("POST", "/auth/signup", 201), tenant_form_accepted("signup"),
                     answered("POST", f"/dbconnections/signup", 200))),
    Milestone("password-token", "Got a token with the password grant", "signup-and-token",
              answered("POST", "/auth/token", 200)),
    Milestone("secure", "Called /api/secure with a valid token", "protect-an-api", answered("GET", "/api/secure", 200)),
    Milestone("scoped", "Called /api/scoped with success", "protect-an-api", answered("GET", "/api/scoped", 200)),
    Milestone("swagger", "Called the API after signing in through Swagger UI", "swagger-sign-in",
              api_call_with(issued_to_swagger)),
    Milestone("claims", "Read your token's claims at /api/claims", "read-your-token",
              answered("GET", "/api/claims", 200)),
    Milestone("admin", "Passed the permissions check of /api/admin", "permissions-vs-scopes",
              answered("GET", "/api/admin", 200)),
    Milestone("m2m", "Called the API with a machine-to-machine token", "machine-to-machine",
              api_call_with(lambda claims, _: str(claims.get("sub", "")).endswith("@clients"))),
    Milestone("logged-out", "Logged out of the site and the tenant", "log-out-everywhere",
              lambda exchange, swagger_client_id: exchange.was_signed_in
              and answered("GET", "/auth/logout", 303)(exchange, swagger_client_id)),
)


def note_failure(request: Request, code: str) -> None:
    """Say which failure this answer reports (a code of tutorials/room/failures.toml), for the room to count."""
    setattr(request.state, FAILURE_STATE, code)


def note_accepted_claims(request: Request, claims: dict[str, Any]) -> None:
    """Keep the claims of the bearer token the API has just accepted, for the milestones that read them."""
    setattr(request.state, ACCEPTED_CLAIMS_STATE, claims)


def reached_keys(session: dict[str, Any]) -> set[str]:
    """The milestones recorded in a session."""
    recorded = session.get(SESSION_KEY, [])
    return set(recorded) if isinstance(recorded, list) else set()


def in_order(keys: set[str]) -> list[str]:
    """Milestone keys in the order of the tutorial."""
    return [milestone.key for milestone in MILESTONES if milestone.key in keys]


def header(scope: Scope, name: bytes) -> str:
    """One request header, decoded; empty when absent."""
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return ""


class ProgressMiddleware:
    """Ticks milestones as the site answers; sits inside the session middleware so it can write the session."""

    def __init__(self, app: ASGIApp, swagger_client_id: str) -> None:
        self.app = app
        self.swagger_client_id = swagger_client_id

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; when the answer starts, add the milestones it reached to the session."""
        if scope["type"] != "http" or "session" not in scope:
            await self.app(scope, receive, send)
            return
        kept = reached_keys(scope["session"])
        was_signed_in = bool(scope["session"].get("user"))
        # Only a visitor's browser gets a session for this: never an API client calling with just a token.
        from_browser = bool(scope["session"]) or header(scope, b"sec-fetch-site") == "same-origin"

        async def send_with_progress(message: Message) -> None:
            if message["type"] == "http.response.start" and from_browser:
                self.record(scope, message["status"], kept, was_signed_in)
            await send(message)

        await self.app(scope, receive, send_with_progress)

    def record(self, scope: Scope, status: int, kept: set[str], was_signed_in: bool) -> None:
        """Put back what a cleared session lost, and add what this exchange reached."""
        session = scope["session"]
        exchange = Exchange(
            method=scope["method"], path=scope["path"], status=status, signed_in=bool(session.get("user")),
            token_claims=(scope.get("state") or {}).get(ACCEPTED_CLAIMS_STATE, {}) if status == 200 else {},
            was_signed_in=was_signed_in,
        )
        this_time = [milestone.key for milestone in MILESTONES if milestone.reached_by(exchange, self.swagger_client_id)]
        scope.setdefault("state", {})[MILESTONES_STATE] = this_time
        reached = kept | reached_keys(session) | set(this_time)
        if reached != reached_keys(session):
            session[SESSION_KEY] = in_order(reached)
