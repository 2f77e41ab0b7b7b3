"""Machine-to-machine applications a signed-up visitor makes for the Management API: bounded, secret kept hashed."""

import hmac
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select

from tenant.directory import MANAGEMENT_SCOPES, Client
from tenant.store.store import Store, digest
from tenant.store.tables import management_apps

MAX_APPS_PER_VISITOR = 3
MAX_APP_NAME = 64
CLIENT_ID_PREFIX = "vis_"


@dataclass(frozen=True)
class VisitorApp(Client):
    """A visitor's application: the client credentials grant, to the Management API only, secret compared by digest."""

    owner: str = ""

    def check_client_secret(self, client_secret: str) -> bool:
        """Constant-time comparison of the secret's digest with the one kept."""
        return self.client_secret is not None and hmac.compare_digest(digest(client_secret), self.client_secret)


class TooManyApps(Exception):
    """The visitor already has MAX_APPS_PER_VISITOR applications."""


class ManagementApps:
    """The visitors' applications, as stored."""

    def __init__(self, store: Store, management_audience: str) -> None:
        self.store = store
        self.audience = management_audience

    def app(self, row) -> VisitorApp:
        """The client of a stored row."""
        return VisitorApp(client_id=row.client_id, name=row.name, app_type="non_interactive",
                          client_secret=row.secret_digest, grant_types=("client_credentials",), response_types=(),
                          api_grants={self.audience: tuple(MANAGEMENT_SCOPES)}, owner=row.owner)

    def client(self, client_id: object) -> VisitorApp | None:
        """The visitor's application with that id, if any."""
        if not isinstance(client_id, str) or not client_id.startswith(CLIENT_ID_PREFIX):
            return None
        with self.store.transaction() as db:
            row = db.execute(select(management_apps).where(management_apps.c.client_id == client_id)).first()
        return self.app(row) if row else None

    def of_owner(self, owner: str) -> list[VisitorApp]:
        """A visitor's applications, oldest first."""
        with self.store.transaction() as db:
            rows = db.execute(select(management_apps).where(management_apps.c.owner == owner)
                              .order_by(management_apps.c.created_at))
            return [self.app(row) for row in rows]

    def create(self, owner: str, name: str) -> tuple[VisitorApp, str]:
        """A new application of the visitor, and its secret (shown once, kept only as a digest)."""
        client_id, secret = f"{CLIENT_ID_PREFIX}{secrets.token_urlsafe(16)}", secrets.token_urlsafe(32)
        with self.store.transaction(exclusive=True) as db:
            if db.scalar(select(func.count()).where(management_apps.c.owner == owner)) >= MAX_APPS_PER_VISITOR:
                raise TooManyApps(owner)
            db.execute(insert(management_apps).values(client_id=client_id, owner=owner, name=name[:MAX_APP_NAME],
                                                      secret_digest=digest(secret), created_at=time.time()))
        return self.client(client_id), secret

    def delete(self, client_id: str) -> None:
        """Forget an application (the caller deletes what it created first)."""
        with self.store.transaction() as db:
            db.execute(delete(management_apps).where(management_apps.c.client_id == client_id))
