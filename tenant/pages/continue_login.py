"""GET /continue: back from an Action's redirect, the login goes on where it stopped."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from tenant.actions.post_login import Resume
from tenant.http import authorize_request
from tenant.pages.authorize import complete_with
from tenant.pages.login import expired_login, login_transaction
from tenant.pages.post_login import CONTINUE_STEP
from tenant.services import tenant_of


def continue_login(request: Request) -> Response:
    """The Action's onContinuePostLogin and the Actions after it, then the code or tokens for the application."""
    tenant = tenant_of(request)
    state = request.query_params.get("state", "")
    transaction = login_transaction(request, state, CONTINUE_STEP)
    if transaction is None:
        return expired_login(request)
    tenant.store.drop_login_transaction(state)
    user = tenant.users.by_id(transaction["user_id"])
    if user is None:
        return expired_login(request)
    oauth_request = authorize_request(request, [tuple(pair) for pair in transaction["query"]], tenant.config.issuer)
    return complete_with(request, oauth_request, user, transaction["session"],
                         Resume.from_data(transaction["resume"]), state)


async def continue_page(request: Request) -> Response:
    """GET /continue?state=..."""
    return await run_in_threadpool(continue_login, request)
