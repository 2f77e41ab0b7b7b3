"""The post-login Actions at the end of an interactive login, before the code or tokens are issued."""

from urllib.parse import urlencode, urlsplit, urlunsplit

from starlette.requests import Request

from tenant.actions.engine import RunResult
from tenant.actions.event import LoginRequest, login_event
from tenant.actions.post_login import Resume
from tenant.http import client_address
from tenant.oauth import TenantRequest
from tenant.services import tenant_of
from tenant.store.users import User

CONTINUE_STEP = "continue"
MAX_QUERY_PARAMETERS = 50
MAX_QUERY_VALUE = 2000


def query_of(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """A query as event.request.query shows it: the first value of each name, bounded."""
    return {name: value[:MAX_QUERY_VALUE] for name, value in reversed(pairs[:MAX_QUERY_PARAMETERS])}


def run_actions(request: Request, oauth_request: TenantRequest, grant_type: str, user: User, session: dict,
                state: str, resume: Resume | None = None) -> RunResult:
    """The post-login Actions' result for this browser's login; ActionDenied when they refuse it."""
    tenant = tenant_of(request)
    # The /authorize request's query, as on Auth0; back at /continue, that request's.
    pairs = list(request.query_params.multi_items()) if resume else authorize_pairs(oauth_request)
    login_request = LoginRequest(client_address(request), request.headers.get("user-agent", ""),
                                 request.headers.get("host", ""), "GET", query_of(pairs))
    event = login_event(user, oauth_request.client, oauth_request.audience, tenant.directory.api.identifier,
                        oauth_request.scope or "", grant_type, login_request, session)
    return tenant.actions.run(user.get_user_id(), event, state, resume)


def authorize_pairs(oauth_request: TenantRequest) -> list[tuple[str, str]]:
    """The authorization request's parameters."""
    return [(name, value) for name, values in oauth_request.payload.datalist.items() for value in values]


def continue_data(oauth_request: TenantRequest, user: User, session: dict, result: RunResult) -> dict:
    """What /continue needs to go on with a login an Action redirected: the request, user, session, progress."""
    pairs = authorize_pairs(oauth_request)
    resume = Resume(result.redirect["stage"], result.redirect["index"], result.claims)
    return {"query": pairs, "user_id": user.get_user_id(), "session": session, "step": CONTINUE_STEP,
            "resume": resume.as_data()}


def redirect_target(redirect: dict, state: str) -> str:
    """Where api.redirect.sendUserTo sends the browser: its URL with its query and the login's `state`."""
    parts = urlsplit(redirect["url"])
    query = "&".join(part for part in (parts.query, urlencode({**redirect["query"], "state": state})) if part)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
