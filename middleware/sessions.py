"""The signed session cookie that carries the signed-in user between requests."""

from typing import TYPE_CHECKING

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from settings import Settings

if TYPE_CHECKING:
    from storage import Database

SESSION_COOKIE = "playground_session"
SESSION_MAX_AGE = 8 * 60 * 60
SESSION_SECRET_NAME = "session_secret"


def session_secret(settings: Settings, database: "Database | None") -> str:
    """SESSION_SECRET when set, else (built-in tenant only) one generated once and kept in the database."""
    configured = settings.session_secret.get_secret_value().strip() if settings.session_secret else ""
    if configured:
        return configured
    if not settings.uses_builtin_tenant or database is None:
        raise SystemExit("Invalid setting SESSION_SECRET: must not be empty when AUTH0_DOMAIN is set")
    from storage.secrets import SiteSecrets

    with database.at_startup():
        return SiteSecrets(database).get_or_create(SESSION_SECRET_NAME)


def add_session_middleware(app: FastAPI, settings: Settings, database: "Database | None") -> None:
    """Sign the session cookie; HttpOnly and SameSite=Lax always, Secure when the site is served over https."""
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings, database),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.site_origin.startswith("https://"),
    )
