"""The authorization endpoint (/authorize) and its pipeline: checks, tenant session, consent, answer."""

import secrets
import time
from urllib.parse import parse_qsl, urlencode

from authlib.oauth2.rfc6749 import OAuth2Error
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tenant.http import (
    MAX_PARAMETERS, BadRequest, authorize_request, client_address, known_authorize_parameters, whole_number,
)
from tenant.actions.engine import ActionDenied, CustomClaims, RunResult
from tenant.actions.post_login import Resume
from tenant.logs import page_events
from tenant.logs.codes import FAILED_LOGIN, FAILED_SILENT_AUTH
from tenant.mfa.policy import MFA_REQUIRED_DESCRIPTION, MfaRequired
from tenant.oauth import Auth0Error, TenantRequest, missing_parameter, redirect_error
from tenant.pages.post_login import continue_data, redirect_target, run_actions
from tenant.pages.rendering import CALLBACK_MISMATCH_HELP, error_page
from tenant.pages.response_modes import RESPONSE_MODES, deliver
from tenant.services import Tenant, tenant_of
from tenant.store.consents import CONSENT_STEP, needs_consent, remember_consent, requested_consent
from tenant.store.sessions import browser_id, current_session, remember_browser
from tenant.store.users import User

LOGIN_LIFETIME = 30 * 60
# Pending logins kept per browser and per address (a workshop room may share one); the oldest go first.
MAX_PENDING_PER_BROWSER = 10
MAX_PENDING_PER_ADDRESS = 500
MFA_STEP = "mfa"
MFA_CHALLENGE_PATH = "u/mfa-otp-challenge"
MFA_ENROLLMENT_PATH = "u/mfa-otp-enrollment"
PROMPT_NONE_ALONE = "prompt=none cannot be combined with other prompt values"


def authorization_error_page(request: Request, error: OAuth2Error) -> Response:
    """Auth0's page for an authorization request it cannot send back to the client."""
    description = error.description or error.error
    if error.error == "invalid_client":
        return error_page(request, "Unknown client", f"{description} Check the client_id the application sends.")
    if "Redirect URI" in description:
        return error_page(request, "Callback URL mismatch",
                          f"{description} Add it to the application's Allowed Callback URLs, exactly as sent.",
                          help_url=CALLBACK_MISMATCH_HELP)
    if error.error == "unauthorized_client":
        return error_page(request, "Unauthorized client", description, 403)
    return error_page(request, "Invalid authorization request", description)


def client_refusal(tenant: Tenant, params: dict[str, str]) -> Auth0Error | None:
    """Auth0's refusal of a missing response type, or of one the client may not use."""
    response_type = params.get("response_type")
    if not response_type:
        return missing_parameter("response_type")
    client = tenant.directory.client(params.get("client_id"))
    known = any(other.check_response_type(response_type) for other in tenant.directory.clients.values())
    if client is not None and known and not client.check_response_type(response_type):
        grant = "authorization_code" if response_type == "code" else "implicit"
        return Auth0Error("unauthorized_client", f"Grant type '{grant}' not allowed for the client.", 403)
    return None


def consented_grant(request: Request, oauth_request: TenantRequest, user: User,
                    session: dict) -> object | Response:
    """The grant of a signed-in user's request, or the answer when the request is refused."""
    oauth_request.session_id = session["sid"]
    oauth_request.auth_time = session["auth_time"]
    oauth_request.amr = list(session.get("amr", []))
    try:
        return tenant_of(request).server.get_consent_grant(oauth_request, end_user=user)
    except OAuth2Error as error:
        return send_back(request, oauth_request, redirect_error(error, oauth_request.payload.state)) \
            or authorization_error_page(request, error)


def complete_authorization(request: Request, oauth_request: TenantRequest, session: dict,
                           consented: bool = False, actions_result: CustomClaims | None = None) -> Response:
    """Redirect back to the client with a code or tokens for the signed-in user, once they consented if asked to."""
    tenant = tenant_of(request)
    user = tenant.users.by_id(session["user_id"])
    grant = consented_grant(request, oauth_request, user, session)
    if isinstance(grant, Response):
        return grant
    ask = requested_consent(oauth_request, grant.redirect_uri, user.get_user_id())
    if consented and ask is not None:
        remember_consent(tenant.store, ask)
    elif needs_consent(tenant.store, ask, oauth_request.payload.data.get("prompt", "")):
        return ask_consent(request, oauth_request, grant, user.get_user_id())
    return complete_with(request, oauth_request, user, session, actions_result=actions_result)


def complete_with(request: Request, oauth_request: TenantRequest, user: User, session: dict,
                  resume: Resume | None = None, state: str | None = None,
                  actions_result: CustomClaims | None = None) -> Response:
    """The post-login Actions (from where a redirect stopped them), then the code or tokens, as on Auth0.

    `actions_result`: what this login's Actions already gave before a second factor was asked; they do not run again.
    """
    grant = consented_grant(request, oauth_request, user, session)
    if isinstance(grant, Response):
        return grant
    state = state or secrets.token_urlsafe(24)
    try:
        result = RunResult(actions_result) if actions_result is not None else \
            run_actions(request, oauth_request, grant.GRANT_TYPE, user, session, state, resume)
    except ActionDenied as denied:
        page_events.record(request, FAILED_LOGIN, client_id=oauth_request.payload.data.get("client_id"), user=user,
                           description=denied.description, session_id=session.get("sid"))
        refusal = grant_error(grant, "access_denied", denied.description)
        return send_back(request, oauth_request, redirect_error(refusal, oauth_request.payload.state))
    if result.redirect is not None:
        response = RedirectResponse(redirect_target(result.redirect, state), 302)
        keep_pending(request, response, state, continue_data(oauth_request, user, session, result))
        return response
    oauth_request.post_login = result.claims
    try:  # MFA when the user is enrolled, acr_values asks for it, or an Action's api.multifactor.enable did
        response = tenant_of(request).server.create_authorization_response(oauth_request, grant_user=user, grant=grant)
    except MfaRequired:
        return ask_second_factor(request, oauth_request, grant, user.get_user_id(), result.claims)
    page_events.authorization_answered(request, oauth_request, user, session)
    return send_back(request, oauth_request, response)


def ask_second_factor(request: Request, oauth_request: TenantRequest, grant: object, user_id: str,
                      actions_result: CustomClaims) -> Response:
    """Send the browser to the code page (or to enroll an app first); with `prompt=none`, `interaction_required`."""
    if oauth_request.payload.data.get("prompt") == "none":
        return send_back(request, oauth_request, redirect_error(
            grant_error(grant, "interaction_required", MFA_REQUIRED_DESCRIPTION), oauth_request.payload.state))
    pairs = [(name, value) for name, values in oauth_request.payload.datalist.items() for value in values]
    path = MFA_CHALLENGE_PATH if tenant_of(request).authenticators.enrolled(user_id) else MFA_ENROLLMENT_PATH
    return pending_step(request, path, {"query": pairs, "user_id": user_id, "step": MFA_STEP,
                                        "actions_result": actions_result.as_data()})


def ask_consent(request: Request, oauth_request: TenantRequest, grant: object, user_id: str) -> Response:
    """Send the browser to the consent screen; with `prompt=none`, answer `consent_required` instead."""
    if oauth_request.payload.data.get("prompt") == "none":
        return send_back(request, oauth_request, redirect_error(
            grant_error(grant, "consent_required", "Consent required"), oauth_request.payload.state))
    pairs = [(name, value) for name, values in oauth_request.payload.datalist.items() for value in values]
    return pending_step(request, "u/consent", {"query": pairs, "user_id": user_id, "step": CONSENT_STEP})


def pending_step(request: Request, path: str, data: dict) -> Response:
    """Keep a pending authorization for this browser, and send the browser to the page that goes on with it."""
    transaction = secrets.token_urlsafe(24)
    response = RedirectResponse(f"{tenant_of(request).config.issuer}{path}?{urlencode({'state': transaction})}", 302)
    keep_pending(request, response, transaction, data)
    return response


def keep_pending(request: Request, response: Response, transaction: str, data: dict) -> None:
    """Keep a pending authorization under `transaction`, bound to this browser (whose cookie the response sets)."""
    tenant = tenant_of(request)
    browser = browser_id(request)
    tenant.store.put_login_transaction(transaction, {**data, "browser": browser}, LOGIN_LIFETIME, browser,
                                       client_address(request), MAX_PENDING_PER_BROWSER, MAX_PENDING_PER_ADDRESS)
    remember_browser(tenant, response, browser)


def send_back(request: Request, oauth_request: TenantRequest, response: Response | None) -> Response | None:
    """A response for the client, delivered the way its response_mode asks."""
    if response is None:
        return None
    return deliver(request, oauth_request.payload.data.get("response_mode"), oauth_request.client,
                   oauth_request.payload.redirect_uri, response)


def query_pairs(query: str) -> list[tuple[str, str]]:
    """The query string's parameters."""
    return parse_qsl(query, keep_blank_values=True, max_num_fields=MAX_PARAMETERS)


def session_is_fresh(session: dict, prompt: str, max_age: str | None) -> bool:
    """Whether the tenant session answers this request without the login form (`prompt=login`, `max_age`)."""
    if "login" in prompt.split():
        return False
    return max_age is None or time.time() - session["auth_time"] < (whole_number(max_age) or 0)


def request_refusal(params: dict[str, str]) -> str | None:
    """What is wrong with the request's prompt, max_age or response_mode, if anything."""
    prompts = params.get("prompt", "").split()
    if "none" in prompts and len(prompts) > 1:
        return PROMPT_NONE_ALONE
    max_age = params.get("max_age")
    if max_age is not None and whole_number(max_age) is None:
        return "max_age must be a whole number of seconds"
    mode = params.get("response_mode")
    if mode is not None and mode not in RESPONSE_MODES:
        return f"Unsupported response_mode: {mode[:40]}. Use one of {', '.join(RESPONSE_MODES)}."
    return None


def grant_error(grant: object, error: str, description: str) -> Auth0Error:
    """An authorization error to send back to the client's checked redirect URI."""
    return Auth0Error(error, description, redirect_uri=grant.redirect_uri,
                      redirect_fragment=grant.ERROR_RESPONSE_FRAGMENT)


def begin_authorization(request: Request, pairs: list[tuple[str, str]]) -> Response:
    """Check the request; reuse the tenant session, or send the browser to the login page."""
    tenant = tenant_of(request)
    oauth_request = authorize_request(request, pairs, tenant.config.issuer)
    state = oauth_request.payload.state
    refusal = client_refusal(tenant, oauth_request.payload.data)
    if refusal is not None:
        return authorization_error_page(request, refusal)
    try:
        grant = tenant.server.get_consent_grant(oauth_request)
    except OAuth2Error as error:
        return send_back(request, oauth_request, redirect_error(error, state)) or authorization_error_page(request, error)
    params = oauth_request.payload.data
    refusal = request_refusal(params)
    if refusal is not None:
        return send_back(request, oauth_request, redirect_error(grant_error(grant, "invalid_request", refusal), state))
    session = current_session(tenant, request)
    if session is not None and session_is_fresh(session, params.get("prompt", ""), params.get("max_age")):
        return complete_authorization(request, oauth_request, session)
    if params.get("prompt") == "none":
        page_events.record(request, FAILED_SILENT_AUTH, client_id=params.get("client_id"), description="Login required")
        return send_back(request, oauth_request, redirect_error(grant_error(grant, "login_required", "Login required"),
                                                                state))
    return pending_step(request, "u/login", {"query": pairs})


async def authorize(request: Request) -> Response:
    """GET /authorize."""
    try:
        pairs = query_pairs(request.url.query)
    except ValueError:
        return error_page(request, "Invalid authorization request", "Too many parameters.")
    try:
        return await run_in_threadpool(begin_authorization, request, known_authorize_parameters(pairs))
    except BadRequest as error:
        return error_page(request, "Invalid authorization request", error.description)
