"""The tenant's own sign-in session (its cookie), so that a second /authorize skips the login form."""

import secrets
import time

from starlette.requests import Request
from starlette.responses import Response

from tenant.services import Tenant

SESSION_COOKIE = "auth0"
BROWSER_COOKIE = "auth0_browser"
SESSION_KIND = "session"
SESSION_LIFETIME = 3 * 86_400


def current_session(tenant: Tenant, request: Request) -> dict | None:
    """The live session of this browser, if any."""
    cookie = request.cookies.get(SESSION_COOKIE)
    return tenant.store.get_grant(SESSION_KIND, cookie) if cookie else None


def start_session(tenant: Tenant, user_id: str) -> tuple[str, dict]:
    """A new session: its random cookie value (the store keeps only its digest) and its data."""
    cookie = secrets.token_urlsafe(32)
    session = {"user_id": user_id, "sid": secrets.token_urlsafe(24), "auth_time": int(time.time())}
    tenant.store.put_grant(SESSION_KIND, cookie, session, SESSION_LIFETIME)
    return cookie, session


def set_session_cookie(tenant: Tenant, response: Response, cookie: str) -> None:
    """Hand the session cookie to the browser."""
    response.set_cookie(SESSION_COOKIE, cookie, max_age=SESSION_LIFETIME, path=tenant.mount_path, httponly=True,
                        samesite="lax", secure=tenant.secure_cookies)


def end_session(tenant: Tenant, request: Request, response: Response) -> None:
    """Sign the browser out of the tenant."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        tenant.store.drop_grant(SESSION_KIND, cookie)
    response.delete_cookie(SESSION_COOKIE, path=tenant.mount_path, httponly=True, samesite="lax",
                           secure=tenant.secure_cookies)


def browser_id(request: Request) -> str:
    """This browser's id, binding a login form to the browser that started it (login CSRF)."""
    return request.cookies.get(BROWSER_COOKIE) or secrets.token_urlsafe(24)


def remember_browser(tenant: Tenant, response: Response, value: str) -> None:
    """Set the browser id cookie."""
    response.set_cookie(BROWSER_COOKIE, value, path=tenant.mount_path, httponly=True, samesite="lax",
                        secure=tenant.secure_cookies)
