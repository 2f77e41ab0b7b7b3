"""The tenant's own sign-in session (its cookie), so that a second /authorize skips the login form."""

import re
import secrets
import time

from starlette.requests import Request
from starlette.responses import Response

from tenant.services import Tenant

SESSION_COOKIE = "auth0"
# Browsers from before SameSite=None (they treat it as Strict) get a second cookie without SameSite, as on Auth0.
LEGACY_SESSION_COOKIE = "auth0_compat"
BROWSER_COOKIE = "auth0_browser"
SESSION_KIND = "session"
SESSION_LIFETIME = 3 * 86_400
BROWSER_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def session_cookie(request: Request) -> str | None:
    """This browser's session cookie value, from the modern cookie or its legacy twin."""
    return request.cookies.get(SESSION_COOKIE) or request.cookies.get(LEGACY_SESSION_COOKIE)


def current_session(tenant: Tenant, request: Request) -> dict | None:
    """The live session of this browser, if any."""
    cookie = session_cookie(request)
    return tenant.store.get_grant(SESSION_KIND, cookie) if cookie else None


def start_session(tenant: Tenant, request: Request, user_id: str) -> tuple[str, dict]:
    """A new session replacing this browser's old one: its random cookie value and its data."""
    old_cookie = session_cookie(request)
    if old_cookie:
        tenant.store.drop_grant(SESSION_KIND, old_cookie)
    cookie = secrets.token_urlsafe(32)
    session = {"user_id": user_id, "sid": secrets.token_urlsafe(24), "auth_time": int(time.time())}
    tenant.store.put_grant(SESSION_KIND, cookie, session, SESSION_LIFETIME)
    return cookie, session


def record_second_factor(tenant: Tenant, request: Request, session: dict, method: str) -> dict:
    """The browser's session, now also proven by a second factor (`amr`), kept for the rest of its life."""
    proven = {**session, "amr": sorted({*session.get("amr", []), method})}
    cookie = session_cookie(request)
    if cookie:
        remaining = max(SESSION_LIFETIME - (time.time() - session["auth_time"]), 1)
        tenant.store.put_grant(SESSION_KIND, cookie, proven, remaining)
    return proven


def session_cookies(tenant: Tenant) -> dict[str, str | None]:
    """The session cookies to set and their SameSite: over https, None (silent authentication from other sites)."""
    if tenant.secure_cookies:
        return {SESSION_COOKIE: "none", LEGACY_SESSION_COOKIE: None}
    return {SESSION_COOKIE: "lax"}


def set_session_cookie(tenant: Tenant, response: Response, cookie: str) -> None:
    """Hand the session cookie to the browser."""
    for name, samesite in session_cookies(tenant).items():
        response.set_cookie(name, cookie, max_age=SESSION_LIFETIME, path=tenant.mount_path, httponly=True,
                            samesite=samesite, secure=tenant.secure_cookies)


def end_session(tenant: Tenant, request: Request, response: Response) -> dict | None:
    """Sign the browser out of the tenant; returns the session that ended, if any."""
    session = current_session(tenant, request)
    cookie = session_cookie(request)
    if cookie:
        tenant.store.drop_grant(SESSION_KIND, cookie)
    for name, samesite in session_cookies(tenant).items():
        response.delete_cookie(name, path=tenant.mount_path, httponly=True, samesite=samesite,
                               secure=tenant.secure_cookies)
    return session


def browser_id(request: Request) -> str:
    """This browser's id, binding a login form to the browser that started it (login CSRF); a new one for a bad cookie."""
    held = request.cookies.get(BROWSER_COOKIE, "")
    return held if BROWSER_ID_PATTERN.fullmatch(held) else secrets.token_urlsafe(24)


def remember_browser(tenant: Tenant, response: Response, value: str) -> None:
    """Set the browser id cookie."""
    response.set_cookie(BROWSER_COOKIE, value, path=tenant.mount_path, httponly=True, samesite="lax",
                        secure=tenant.secure_cookies)
