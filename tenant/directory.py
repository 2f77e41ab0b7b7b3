"""The tenant's fixed contents: its API, its clients and its demo users."""

import hmac
from dataclasses import dataclass, field

from authlib.oauth2.rfc6749 import ClientMixin

from tenant.config import TenantConfig

CONNECTION = "Username-Password-Authentication"
READ_MESSAGES = "read:messages"
ADMIN_MESSAGES = "admin:messages"
READ_ROOM = "read:room"
OIDC_SCOPES = ("openid", "profile", "email", "offline_access")

# Auth0's Management API scopes that this tenant's Management API checks.
MANAGEMENT_SCOPES = {
    "read:users": "Read users", "create:users": "Create users", "update:users": "Update users",
    "delete:users": "Delete users", "read:users_app_metadata": "Read users' app_metadata",
    "update:users_app_metadata": "Update users' app_metadata", "create:users_app_metadata": "Create app_metadata",
    "delete:users_app_metadata": "Delete users' app_metadata", "read:roles": "Read roles",
    "create:roles": "Create roles", "update:roles": "Update roles", "delete:roles": "Delete roles",
    "read:role_members": "Read the users of roles", "create:role_members": "Assign roles to users",
    "delete:role_members": "Remove roles from users", "read:clients": "Read clients",
    "read:resource_servers": "Read APIs", "read:client_grants": "Read client grants", "read:logs": "Read logs",
    "read:logs_users": "Read a user's logs",
}
OPERATOR_CLIENT_ID = "tenant-operator"

PASSWORD_REALM_GRANT = "http://auth0.com/oauth/grant-type/password-realm"
DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
# Auth0's MFA API grants, which finish a password login that answered mfa_required.
MFA_GRANTS = ("http://auth0.com/oauth/grant-type/mfa-otp", "http://auth0.com/oauth/grant-type/mfa-recovery-code")
CONFIDENTIAL_AUTH_METHODS = ("client_secret_post", "client_secret_basic")
# The site's flow stepper, where the single-page app's authorization responses and logouts may come back.
STEPPER_PATH = "/stepper"


@dataclass(frozen=True)
class Api:
    """An API (resource server) the tenant issues access tokens for."""

    identifier: str
    name: str
    permissions: dict[str, str]


@dataclass(frozen=True)
class DemoRole:
    """A role the tenant is seeded with: a name, a description and permissions on the tenant's API."""

    id: str
    name: str
    description: str
    permissions: tuple[str, ...]


DEMO_ROLES = (
    DemoRole("rol_PlaygroundAdmin0", "admin", "Administers messages and sees the workshop room",
             (READ_MESSAGES, ADMIN_MESSAGES, READ_ROOM)),
    DemoRole("rol_PlaygroundReader", "reader", "Reads messages", (READ_MESSAGES,)),
)
DEMO_ROLES_BY_NAME = {role.name: role for role in DEMO_ROLES}


@dataclass(frozen=True)
class DemoUser:
    """A user the tenant is seeded with, holding its permissions through roles."""

    email: str
    password: str
    name: str
    roles: tuple[str, ...]

    @property
    def permissions(self) -> tuple[str, ...]:
        """The permissions the user's roles give it, in the API's order."""
        held = {p for name in self.roles for p in DEMO_ROLES_BY_NAME[name].permissions}
        return tuple(p for p in (READ_MESSAGES, ADMIN_MESSAGES, READ_ROOM) if p in held)


DEMO_USERS = (
    DemoUser("alice@example.com", "alice-demo-1", "Alice Example", ("reader",)),
    DemoUser("bob@example.com", "bob-demo-1", "Bob Example", ()),
    DemoUser("admin@example.com", "admin-demo-1", "Admin Example", ("admin",)),
)


@dataclass(frozen=True)
class Client(ClientMixin):
    """An application registered with the tenant, as authlib's server core expects it."""

    client_id: str
    name: str
    app_type: str
    grant_types: tuple[str, ...]
    response_types: tuple[str, ...]
    callbacks: tuple[str, ...] = ()
    logout_urls: tuple[str, ...] = ()
    web_origins: tuple[str, ...] = ()
    client_secret: str | None = None
    api_grants: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def is_public(self) -> bool:
        """A client that cannot keep a secret (a single-page app)."""
        return self.client_secret is None

    def get_client_id(self) -> str:
        """The client id."""
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        """Auth0 requires an explicit redirect_uri; there is no default."""
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        """Scopes are narrowed per user and audience when tokens are issued, not here."""
        return scope or ""

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """Exact match against the allowed callback URLs."""
        return redirect_uri in self.callbacks

    def check_client_secret(self, client_secret: str) -> bool:
        """Constant-time comparison of the secret."""
        return self.client_secret is not None and hmac.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        """Public clients send no secret; confidential ones send it in the body or by Basic auth."""
        return method == "none" if self.is_public else method in CONFIDENTIAL_AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        """Whether this client may ask /authorize for that response type (in any word order)."""
        return sorted(response_type.split()) in (sorted(allowed.split()) for allowed in self.response_types)

    def check_grant_type(self, grant_type: str) -> bool:
        """Whether this client may use that grant at /oauth/token."""
        return grant_type in self.grant_types


@dataclass(frozen=True)
class Directory:
    """Everything registered with the tenant, computed from where the site runs."""

    api: Api
    clients: dict[str, Client]
    tenant_logout_urls: tuple[str, ...] = ()
    management_api: Api | None = None

    def client(self, client_id: object) -> Client | None:
        """The client with that id, if any."""
        return self.clients.get(client_id) if isinstance(client_id, str) else None

    def api_of(self, audience: str | None) -> Api | None:
        """The API (the tenant's own, or the Management API) with that identifier, if any."""
        return next((api for api in (self.api, self.management_api) if api and api.identifier == audience), None)


def origin_variants(origin: str) -> tuple[str, ...]:
    """An origin with and without its trailing slash, as people paste it both ways."""
    return (origin, f"{origin}/")


def example_logout_urls(config: TenantConfig) -> tuple[str, ...]:
    """The tutorial example apps' home pages, where they return after logging out."""
    return tuple(url for origin in config.example_origins for url in origin_variants(origin))


def build_directory(config: TenantConfig) -> Directory:
    """The API and clients of the built-in tenant for a site at `config.site_origin`."""
    site = config.site_origin
    api = Api(config.audience, "Playground API", {
        READ_MESSAGES: "Read messages",
        ADMIN_MESSAGES: "Administer messages",
        READ_ROOM: "See the workshop room's counts (instructors)",
    })
    management = management_api(config.issuer)
    swagger = Client(
        client_id="swagger-ui", name="Swagger UI (/docs)", app_type="spa",
        grant_types=("implicit", "authorization_code", "refresh_token"),
        response_types=("code", "token", "id_token", "id_token token"),
        callbacks=(f"{site}/docs/oauth2-redirect", f"{site}{STEPPER_PATH}")
        + tuple(f"{o}/docs/oauth2-redirect" for o in config.example_origins) + config.extra_callback_urls,
        logout_urls=origin_variants(site) + (f"{site}/docs", f"{site}{STEPPER_PATH}") + example_logout_urls(config)
        + config.extra_logout_urls,
        web_origins=config.web_origins,
    )
    web_app = Client(
        client_id="web-app", name="Playground web app", app_type="regular_web", client_secret="web-app-secret",
        grant_types=("authorization_code", "password", PASSWORD_REALM_GRANT, "refresh_token", *MFA_GRANTS),
        response_types=("code",),
        callbacks=(f"{site}/auth/callback", *config.example_callbacks) + config.extra_callback_urls,
        logout_urls=origin_variants(site) + example_logout_urls(config) + config.extra_logout_urls,
        web_origins=config.web_origins,
    )
    m2m = Client(
        client_id="m2m", name="Machine-to-machine client", app_type="non_interactive", client_secret="m2m-secret",
        grant_types=("client_credentials",), response_types=(),
        api_grants={api.identifier: (READ_MESSAGES,), management.identifier: tuple(MANAGEMENT_SCOPES)},
    )
    cli = Client(
        client_id="cli", name="Playground CLI", app_type="native", grant_types=(DEVICE_CODE_GRANT, "refresh_token"),
        response_types=(),
    )
    clients = [swagger, web_app, m2m, cli]
    if config.management_secret:
        clients.append(Client(
            client_id=OPERATOR_CLIENT_ID, name="Tenant operator", app_type="non_interactive",
            client_secret=config.management_secret, grant_types=("client_credentials",), response_types=(),
            api_grants={management.identifier: tuple(MANAGEMENT_SCOPES)},
        ))
    return Directory(api=api, clients={client.client_id: client for client in clients},
                     tenant_logout_urls=origin_variants(site) + config.extra_logout_urls, management_api=management)


def management_api(issuer: str) -> Api:
    """Auth0's Management API of the tenant, at <issuer>api/v2/."""
    return Api(f"{issuer}api/v2/", "Auth0 Management API", MANAGEMENT_SCOPES)
