"""The password reset page (/lo/reset) that a change_password link opens."""

from functools import partial

from starlette.requests import Request
from starlette.responses import Response

from tenant.endpoints.busy import busy_page
from tenant.logs import page_events
from tenant.logs.codes import FAILED_CHANGE_PASSWORD, SUCCESS_CHANGE_PASSWORD
from tenant.pages.rendering import error_page, page, read_form
from tenant.security.hashing import HashingBusy, run_hashing_call
from tenant.security.passwords import POLICY_TEXT, check_policy
from tenant.services import tenant_of
from tenant.store.sessions import SESSION_KIND

LINK_EXPIRED = "The password reset link has expired or was already used."
TOO_WEAK = "The password is too weak."


async def reset_page(request: Request) -> Response:
    """GET /lo/reset: the form to choose a new password."""
    ticket = request.query_params.get("ticket", "")
    if not ticket or tenant_of(request).store.reset_ticket_user(ticket) is None:
        return error_page(request, "This link has expired", "Ask for a new password reset email.")
    return page(request, "reset.html", ticket=ticket, policy=POLICY_TEXT)


async def reset_submit(request: Request) -> Response:
    """POST /lo/reset: set the new password."""
    tenant = tenant_of(request)
    form = await read_form(request)
    ticket = (form or {}).get("ticket", "")
    user_id = tenant.store.reset_ticket_user(ticket) if ticket else None
    if user_id is None:
        page_events.record(request, FAILED_CHANGE_PASSWORD, description=LINK_EXPIRED)
        return error_page(request, "This link has expired", "Ask for a new password reset email.")
    password = form.get("password", "")
    if not check_policy(password).ok:
        page_events.record(request, FAILED_CHANGE_PASSWORD, user=tenant.users.by_id(user_id), description=TOO_WEAK)
        return page(request, "reset.html", 400, ticket=ticket, policy=POLICY_TEXT, error=TOO_WEAK)
    try:
        # Hashed before the ticket is used up, so that a busy tenant leaves the link working.
        password_hash = await run_hashing_call(tenant.users.passwords.hash, password, True)
    except HashingBusy as busy:
        return busy_page(partial(page, request, "reset.html"), busy, ticket=ticket, policy=POLICY_TEXT)
    user_id = tenant.store.take_reset_ticket(ticket)
    if user_id is None:
        return error_page(request, "This link has expired", "Ask for a new password reset email.")
    tenant.store.set_password(user_id, password_hash)
    # Whoever knew the old password (or holds another reset link) is signed out everywhere.
    tenant.store.revoke_user_credentials(user_id, (SESSION_KIND,))
    page_events.record(request, SUCCESS_CHANGE_PASSWORD, user=tenant.users.by_id(user_id))
    return page(request, "message.html", title="Password changed", message="You can now log in with it.")
