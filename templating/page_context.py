"""What every page's layout may show: the demo-tenant notice and the signed-in user (Jinja globals)."""

from typing import Any
from urllib.parse import urlsplit

from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup
from starlette.requests import Request

from server.addresses import is_loopback_host
from settings import Settings

DEMO_NOTICE_TEXT = (
    "Demo tenant: this site signs you in with its built-in Auth0-compatible tenant. Its demo accounts and passwords "
    "are public, and the accounts you create stay on this instance's disk until it is wiped (as when a free "
    "instance restarts); use no real password here."
)


def shows_demo_notice(settings: Settings, request_host: str = "") -> bool:
    """True when the built-in tenant is served on a public origin (or reached on a public host)."""
    origin_host = urlsplit(settings.site_origin).hostname or ""
    visitor_host = urlsplit(f"//{request_host}").hostname or ""
    public = not is_loopback_host(origin_host) or bool(visitor_host) and not is_loopback_host(visitor_host)
    return settings.uses_builtin_tenant and public


def signed_in_user(request: Request) -> dict[str, Any] | None:
    """The ID-token claims of the signed-in user, or None."""
    if "session" not in request.scope:
        return None
    return request.session.get("user")


@pass_context
def demo_tenant_notice(context: Any) -> Markup:
    """The banner for `{{ demo_tenant_notice() }}` in the base layout; empty when it does not apply."""
    request: Request | None = context.get("request")
    if request is None or not shows_demo_notice(request.app.state.settings, request.headers.get("host", "")):
        return Markup("")
    return Markup('<div class="demo-tenant-notice" role="note">{}</div>').format(DEMO_NOTICE_TEXT)


@pass_context
def current_user(context: Any) -> dict[str, Any] | None:
    """`{% if current_user() %}` in a template: the signed-in user's claims, or None."""
    request: Request | None = context.get("request")
    return signed_in_user(request) if request is not None else None


def install_page_context(templates: Jinja2Templates) -> None:
    """Let every template call `demo_tenant_notice()` and `current_user()`."""
    templates.env.globals.update(demo_tenant_notice=demo_tenant_notice, current_user=current_user)
