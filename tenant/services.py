"""The tenant's parts, built once and shared by its endpoints."""

from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.templating import Jinja2Templates

from storage import Database

from tenant.actions.engine import ActionEngine, default_actions
from tenant.actions.lab import ActionsLab
from tenant.actions.post_login import PostLogin
from tenant.actions.visitors import VisitorActions
from tenant.config import TenantConfig
from tenant.directory import Directory, build_directory
from tenant.grants import register_grants
from tenant.grants.base import TenantServices
from tenant.logs.journal import LOG_RETENTION, MAX_LOG_ROWS, Journal
from tenant.management.apps import ManagementApps
from tenant.mfa.authenticators import Authenticators
from tenant.mfa.sealing import SecretSealer
from tenant.oauth import TenantAuthorizationServer
from tenant.security.hashing import HashPool
from tenant.security.passwords import Passwords
from tenant.store.keys import KeyRing
from tenant.store.logs import LogStore
from tenant.store.revocations import RevokedGrants
from tenant.store.store import Store
from tenant.store.users import Users
from tenant.store.visitor_actions import VisitorActionStore
from tenant.tokens import ACCESS_TOKEN_LIFETIME, TokenFactory

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "pages" / "templates")


@dataclass
class Tenant:
    """Configuration, directory, storage, keys, users, tokens and the OAuth server of one tenant."""

    config: TenantConfig
    directory: Directory
    store: Store
    keys: KeyRing
    users: Users
    tokens: TokenFactory
    server: TenantAuthorizationServer
    actions: PostLogin
    revocations: RevokedGrants
    apps: ManagementApps
    logs: Journal
    lab: ActionsLab
    authenticators: Authenticators

    @classmethod
    def build(cls, config: TenantConfig, database: Database) -> "Tenant":
        """Open (or create) the tenant's state in `database` and wire its parts."""
        directory = build_directory(config)
        store = Store(database)
        keys = KeyRing(store)
        users = Users(store, Passwords(HashPool(config.hash_workers, config.max_hash_wait_seconds)), directory.api.identifier)
        users.seed_demo_users()
        tokens = TokenFactory(config.issuer, directory, keys, store)
        apps = ManagementApps(store, directory.management_api.identifier)
        server = TenantAuthorizationServer(directory, apps.client)
        operator = ActionEngine(default_actions() if config.post_login_actions is None else config.post_login_actions,
                                time_limit=config.action_time_limit, secrets=config.action_secrets)
        visitors = VisitorActions.started(VisitorActionStore(store), config.action_time_limit)
        actions = PostLogin(operator, visitors, users, config.issuer)
        revocations = RevokedGrants(store, ACCESS_TOKEN_LIFETIME)
        authenticators = Authenticators(store, SecretSealer(database))
        register_grants(server, TenantServices(directory, store, users, tokens, actions, revocations, authenticators))
        logs = Journal(LogStore(database, LOG_RETENTION, MAX_LOG_ROWS), directory)
        lab = ActionsLab(directory, users, visitors, config.issuer)
        return cls(config, directory, store, keys, users, tokens, server, actions, revocations, apps, logs, lab,
                   authenticators)

    def close(self) -> None:
        """Write the queued log events; free the Actions' JavaScript engine and stop the password-hashing threads."""
        self.logs.close()
        self.actions.close()
        self.users.passwords.pool.shutdown()

    @property
    def mount_path(self) -> str:
        """The path the tenant is served under: / at the root of an origin, as Auth0 serves it."""
        return "/" + self.config.issuer.split("://", 1)[1].split("/", 1)[1].rstrip("/")

    @property
    def secure_cookies(self) -> bool:
        """Cookies carry Secure when the tenant is served over https."""
        return self.config.issuer.startswith("https://")


def tenant_of(request: Request) -> Tenant:
    """The tenant serving this request."""
    return request.app.state.tenant
