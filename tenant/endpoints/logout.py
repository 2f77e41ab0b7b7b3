"""Logging out of the tenant: Auth0's /v2/logout and OpenID Connect RP-Initiated Logout at /oidc/logout."""

from authlib.common.urls import add_params_to_uri
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tenant.logs import page_events
from tenant.logs.codes import FAILED_LOGOUT, SUCCESS_LOGOUT
from tenant.pages.rendering import error_page, page, read_form
from tenant.services import Tenant, tenant_of
from tenant.store.sessions import current_session, end_session

LOGGED_OUT = ("You are logged out", "Your session with the tenant has ended.")


def logged_out(request: Request, return_to: str | None, client_id: str | None = None) -> Response:
    """End the tenant session, then go back to the application or say it is over."""
    tenant = tenant_of(request)
    if return_to:
        response: Response = RedirectResponse(return_to, 302)
    else:
        response = page(request, "message.html", title=LOGGED_OUT[0], message=LOGGED_OUT[1])
    ended = end_session(tenant, request, response)
    page_events.record(request, SUCCESS_LOGOUT, client_id=client_id, session_id=(ended or {}).get("sid"),
                       user=tenant.users.by_id(ended["user_id"]) if ended else None,
                       details={"return_to": return_to} if return_to else None)
    return response


def refused(request: Request, title: str, message: str) -> Response:
    """A logout request the tenant will not follow, explained to the person in the browser."""
    page_events.record(request, FAILED_LOGOUT, description=f"{title}: {message}")
    return error_page(request, title, message)


def not_allowed(request: Request, url: str, whose: str) -> Response:
    """The page for a return URL that is not an allowed logout URL."""
    return refused(request, "Logout URL not allowed",
                   f"{url} is not in the Allowed Logout URLs of {whose}. Add it there, exactly.")


async def v2_logout(request: Request) -> Response:
    """GET /v2/logout, with Auth0's rules for returnTo (client list with client_id, tenant list without)."""
    tenant = tenant_of(request)
    return_to = request.query_params.get("returnTo")
    client_id = request.query_params.get("client_id")
    if not client_id:
        if return_to and return_to not in tenant.directory.tenant_logout_urls:
            return not_allowed(request, return_to, "the tenant (Advanced settings); or send client_id")
        return logged_out(request, return_to)
    client = tenant.directory.client(client_id)
    if client is None:
        return refused(request, "Unknown client", f"There is no client with id {client_id}.")
    if return_to is None:
        return logged_out(request, client.logout_urls[0] if client.logout_urls else None, client_id)
    if return_to not in client.logout_urls:
        return not_allowed(request, return_to, f"client {client_id}")
    return logged_out(request, return_to, client_id)


def id_token_claims(tenant: Tenant, token: str) -> dict | None:
    """The claims of an ID token this tenant signed (expired ones too, as a logout hint), else None."""
    try:
        decoded = jwt.decode(token, KeySet.import_key_set(tenant.keys.jwks()), algorithms=["RS256"])
    except (JoseError, ValueError, TypeError):
        return None
    claims = decoded.claims
    return claims if claims.get("iss") == tenant.config.issuer and isinstance(claims.get("aud"), str) else None


async def oidc_logout(request: Request) -> Response:
    """GET or POST /oidc/logout: OpenID Connect RP-Initiated Logout 1.0 as Auth0 implements it."""
    tenant = tenant_of(request)
    params = dict(request.query_params)
    if request.method == "POST":
        params = await read_form(request) or {}
    hint = params.get("id_token_hint")
    claims = id_token_claims(tenant, hint) if hint else None
    if hint and claims is None:
        return refused(request, "Invalid logout request", "id_token_hint is not an ID token issued by this tenant.")
    client_id = params.get("client_id") or (claims or {}).get("aud")
    if claims and params.get("client_id") and params["client_id"] != claims["aud"]:
        return refused(request, "Invalid logout request", "client_id does not match the audience of id_token_hint.")
    client = tenant.directory.client(client_id) if client_id else None
    if client_id and client is None:
        return refused(request, "Unknown client", f"There is no client with id {client_id}.")
    redirect_uri = params.get("post_logout_redirect_uri")
    if redirect_uri and client is None:
        return refused(request, "Invalid logout request",
                       "post_logout_redirect_uri needs client_id or id_token_hint to name the application.")
    if redirect_uri and redirect_uri not in client.logout_urls:
        return not_allowed(request, redirect_uri, f"client {client.client_id}")
    logout_hint = params.get("logout_hint")
    if claims and logout_hint and logout_hint != claims.get("sid"):
        return refused(request, "Invalid logout request", "logout_hint does not match the sid of id_token_hint.")
    session_id = logout_hint or (claims or {}).get("sid")
    session = current_session(tenant, request)
    if session is not None and session_id and session["sid"] != session_id:
        # As on Auth0: a hint naming another session is an error, and this browser stays logged in.
        return refused(request, "Invalid logout request", "The logout request names a session other than this "
                       "browser's, so you are still logged in. Log out from the application again.")
    state = params.get("state")
    return_to = add_params_to_uri(redirect_uri, [("state", state)]) if redirect_uri and state else redirect_uri
    return logged_out(request, return_to, client.client_id if client else None)
