"""The consent screen (/u/consent): Accept lets the application in, Decline sends it `access_denied`."""

from authlib.oauth2.rfc6749 import OAuth2Error
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from tenant.http import authorize_request
from tenant.logs import page_events
from tenant.logs.codes import FAILED_LOGIN
from tenant.oauth import redirect_error
from tenant.pages.activation import from_another_site
from tenant.pages.authorize import authorization_error_page, complete_authorization, grant_error, send_back
from tenant.pages.login import login_transaction
from tenant.pages.rendering import error_page, page, read_form
from tenant.services import tenant_of
from tenant.store.consents import CONSENT_STEP, DECLINED, listed_scopes
from tenant.store.sessions import current_session

CHOICES = ("accept", "deny")
ANOTHER_SITE_TITLE = "This form came from another site"
ANOTHER_SITE = "Consent is given on this tenant's own page only. Go back to the application and press Log in again."


def expired_consent(request: Request) -> Response:
    """The page for a consent form whose authorization request is gone, or belongs to another browser or user."""
    return error_page(request, "This page has expired", "Go back to the application and press Log in again.")


def pending_consent(request: Request, state: object) -> tuple[dict, dict] | None:
    """The pending authorization and the session of the user who is asked, if this browser may answer for them."""
    transaction = login_transaction(request, state, CONSENT_STEP)
    if transaction is None:
        return None
    session = current_session(tenant_of(request), request)
    if session is None or session["user_id"] != transaction["user_id"]:
        return None
    return transaction, session


async def consent_page(request: Request) -> Response:
    """GET /u/consent: what the application asks for, with Accept and Decline."""
    tenant = tenant_of(request)
    state = request.query_params.get("state", "")
    pending = pending_consent(request, state)
    if pending is None:
        return expired_consent(request)
    transaction, session = pending
    asked = dict(transaction["query"])
    user = tenant.store.user_by_id(session["user_id"])
    scopes = listed_scopes(tenant.directory.api, frozenset(asked.get("scope", "").split()))
    return page(request, "consent.html", state=state, client=tenant.directory.client(asked.get("client_id")),
                api=tenant.directory.api, scopes=scopes, email=user.email if user else "")


def decline(request: Request, pairs: list[tuple[str, str]], user_id: str) -> Response:
    """Tell the application that the user declined: `access_denied` at its callback."""
    tenant = tenant_of(request)
    oauth_request = authorize_request(request, pairs, tenant.config.issuer)
    try:
        grant = tenant.server.get_consent_grant(oauth_request)
    except OAuth2Error as error:
        return authorization_error_page(request, error)
    error = grant_error(grant, "access_denied", DECLINED)
    page_events.record(request, FAILED_LOGIN, client_id=oauth_request.payload.client_id, description=DECLINED,
                       user=tenant.users.by_id(user_id))
    return send_back(request, oauth_request, redirect_error(error, oauth_request.payload.state))


async def consent_submit(request: Request) -> Response:
    """POST /u/consent: Accept or Decline, from the tenant's own page only (as the activation form)."""
    tenant = tenant_of(request)
    if from_another_site(request):
        return error_page(request, ANOTHER_SITE_TITLE, ANOTHER_SITE, 403)
    form = await read_form(request)
    if form is None or form.get("action") not in CHOICES:
        return error_page(request, "Invalid form", "Press Accept or Decline on the consent page.")
    state = form.get("state", "")
    pending = pending_consent(request, state)
    if pending is None:
        return expired_consent(request)
    transaction, session = pending
    tenant.store.drop_login_transaction(state)
    pairs = [tuple(pair) for pair in transaction["query"]]
    if form["action"] == "deny":
        return await run_in_threadpool(decline, request, pairs, session["user_id"])
    oauth_request = authorize_request(request, pairs, tenant.config.issuer)
    return await run_in_threadpool(complete_authorization, request, oauth_request, session, True)
