"""The signed session cookie that carries the signed-in user between requests."""

import os
import secrets
import time
from pathlib import Path

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from settings import Settings

SESSION_COOKIE = "playground_session"
SESSION_MAX_AGE = 8 * 60 * 60
SESSION_SECRET_FILE = "session-secret"


def persisted_secret(data_dir: Path) -> str:
    """The secret kept in `data_dir`, created on first use; every worker process reads the same one."""
    path = Path(data_dir) / SESSION_SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when two workers start together, exactly one of them writes the secret.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read_when_written(path)
    with os.fdopen(fd, "w") as file:
        file.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


def read_when_written(path: Path, timeout: float = 5.0) -> str:
    """Read a secret another process may still be writing."""
    deadline = time.monotonic() + timeout
    while not (secret := path.read_text().strip()):
        if time.monotonic() > deadline:
            raise SystemExit(f"Invalid setting SESSION_SECRET: {path} is empty; delete it or set SESSION_SECRET")
        time.sleep(0.05)
    return secret


def session_secret(settings: Settings) -> str:
    """SESSION_SECRET when set, else (built-in tenant only) the one persisted in the data folder."""
    configured = settings.session_secret.get_secret_value().strip() if settings.session_secret else ""
    if configured:
        return configured
    if not settings.uses_builtin_tenant:
        raise SystemExit("Invalid setting SESSION_SECRET: must not be empty when AUTH0_DOMAIN is set")
    return persisted_secret(settings.data_dir)


def add_session_middleware(app: FastAPI, settings: Settings) -> None:
    """Sign the session cookie; HttpOnly and SameSite=Lax always, Secure when the site is served over https."""
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.site_origin.startswith("https://"),
    )
