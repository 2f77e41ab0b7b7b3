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


def query_of(request: Request) -> dict[str, str]:
    """The request's query as event.request.query shows it: the first value of each name, bounded."""
    pairs = list(request.query_params.multi_items())[:MAX_QUERY_PARAMETERS]
    return {name: value[:MAX_QUERY_VALUE] for name, value in reversed(pairs)}


def run_actions(request: Request, oauth_request: TenantRequest, grant_type: str, user: User, session: dict,
                state: str, resume: Resume | None = None) -> RunResult:
    """The post-login Actions' result for this browser's login; ActionDenied when they refuse it."""
    tenant = tenant_of(request)
    login_request = LoginRequest(client_address(request), request.headers.get("user-agent", ""),
                                 request.headers.get("host", ""), request.method, query_of(request))
    event = login_event(user, oauth_request.client, oauth_request.audience, tenant.directory.api.identifier,
                        oauth_request.scope or "", grant_type, login_request, session)
    return tenant.actions.run(user.get_user_id(), event, state, resume)


def continue_data(oauth_request: TenantRequest, user: User, session: dict, result: RunResult) -> dict:
    """What /continue needs to go on with a login an Action redirected: the request, user, session, progress."""
    pairs = [(name, value) for name, values in oauth_request.payload.datalist.items() for value in values]
    resume = Resume(result.redirect["stage"], result.redirect["index"], result.claims)
    return {"query": pairs, "user_id": user.get_user_id(), "session": session, "step": CONTINUE_STEP,
            "resume": resume.as_data()}


def redirect_target(redirect: dict, state: str) -> str:
    """Where api.redirect.sendUserTo sends the browser: its URL with its query and the login's `state`."""
    parts = urlsplit(redirect["url"])
    query = "&".join(part for part in (parts.query, urlencode({**redirect["query"], "state": state})) if part)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
