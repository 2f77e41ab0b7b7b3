"""How an authorization response reaches the client: redirect (query, fragment), form_post or web_message."""

from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tenant.config import origin_of
from tenant.directory import Client
from tenant.services import TEMPLATES, tenant_of

RESPONSE_MODES = ("query", "fragment", "form_post", "web_message")
PAGE_MODES = ("form_post", "web_message")
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}


def response_parameters(location: str, redirect_uri: str) -> list[tuple[str, str]]:
    """The parameters the tenant added to the client's redirect URI."""
    parts = urlsplit(location)
    if parts.fragment:
        return parse_qsl(parts.fragment, keep_blank_values=True)
    own = set(parse_qsl(urlsplit(redirect_uri).query, keep_blank_values=True))
    return [pair for pair in parse_qsl(parts.query, keep_blank_values=True) if pair not in own]


def form_post_page(request: Request, redirect_uri: str, params: list[tuple[str, str]]) -> Response:
    """OAuth 2.0 Form Post Response Mode: a form that posts the response to the redirect URI."""
    # img-src: the tenant's favicon, which its page layout links.
    csp = (f"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
           f"form-action {origin_of(redirect_uri)}; frame-ancestors 'none'")
    headers = {**NO_STORE, "Content-Security-Policy": csp, "X-Frame-Options": "DENY"}
    return TEMPLATES.TemplateResponse(request, "form_post.html", {
        "tenant": tenant_of(request), "action": redirect_uri, "params": params}, headers=headers)


def web_message_page(request: Request, target_origin: str, params: list[tuple[str, str]]) -> Response:
    """Auth0's web_message mode: a page that posts the response to its opener or parent at one origin only."""
    csp = f"default-src 'none'; script-src 'self'; frame-ancestors {target_origin}"
    return TEMPLATES.TemplateResponse(request, "web_message.html", {
        "tenant": tenant_of(request), "target_origin": target_origin, "response": dict(params)},
        headers={**NO_STORE, "Content-Security-Policy": csp})


def web_message_origin(client: Client, redirect_uri: str) -> str | None:
    """Where a web_message response may go: the redirect URI's origin, when it is an allowed web origin."""
    origin = origin_of(redirect_uri)
    return origin if origin in client.web_origins else None


def deliver(request: Request, mode: str | None, client: Client | None, redirect_uri: str | None,
            response: Response) -> Response:
    """The client's redirect turned into the page its response_mode asks for (a redirect otherwise)."""
    location = response.headers.get("location")
    if mode not in (*PAGE_MODES, "fragment") or location is None or client is None or not redirect_uri:
        return response
    params = response_parameters(location, redirect_uri)
    if mode == "fragment":
        return RedirectResponse(f"{redirect_uri.split('#', 1)[0]}#{urlencode(params)}", 302)
    if mode == "form_post":
        return form_post_page(request, redirect_uri, params)
    target_origin = web_message_origin(client, redirect_uri)
    if target_origin is None:
        return origin_refused(request, origin_of(redirect_uri))
    return web_message_page(request, target_origin, params)


def origin_refused(request: Request, origin: str) -> Response:
    """The page for a web_message request from an origin the client does not allow: no message is posted."""
    message = f"{origin} is not in the Allowed Web Origins of this application, so no response is sent to it."
    headers = {**NO_STORE, "Content-Security-Policy": "default-src 'none'; style-src 'self'; frame-ancestors 'none'"}
    return TEMPLATES.TemplateResponse(request, "message.html", {
        "tenant": tenant_of(request), "title": "Origin not allowed", "message": message, "is_error": True},
        status_code=403, headers=headers)
