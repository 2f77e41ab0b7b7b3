"""What the built-in tenant holds, read-only, for every page and the README to show (read from tenant/directory.py)."""

from dataclasses import dataclass
from functools import cache

from tenant.config import API_AUDIENCE, TenantConfig
from tenant.directory import (CONNECTION, DEMO_ROLES, DEMO_USERS, DEVICE_CODE_GRANT, MFA_GRANTS, PASSWORD_REALM_GRANT,
                              DemoUser, build_directory)

APP_TYPES = {"spa": "single-page app", "regular_web": "regular web app", "non_interactive": "machine to machine",
             "native": "native"}
GRANT_NAMES = {"authorization_code": "authorization code", "implicit": "implicit", "refresh_token": "refresh token",
               "password": "password", PASSWORD_REALM_GRANT: "password-realm", "client_credentials": "client credentials",
               DEVICE_CODE_GRANT: "device code", MFA_GRANTS[0]: "MFA one-time code", MFA_GRANTS[1]: "MFA recovery code"}


@dataclass(frozen=True)
class Application:
    """A client of the tenant as a learner needs to know it."""

    client_id: str
    name: str
    kind: str
    secret: str | None
    grants: tuple[str, ...]
    granted: tuple[str, ...]  # the API permissions a machine-to-machine client is granted


@dataclass(frozen=True)
class User:
    """A demo user and what it holds on the API."""

    email: str
    password: str
    name: str
    roles: tuple[str, ...]
    permissions: tuple[str, ...]

    @property
    def short_name(self) -> str:
        """`alice` for alice@example.com."""
        return self.email.partition("@")[0]


@dataclass(frozen=True)
class TenantContents:
    """The API, its permissions, the connection, the applications and the demo users."""

    audience: str
    permissions: dict[str, str]
    connection: str
    applications: tuple[Application, ...]
    users: tuple[User, ...]
    roles: dict[str, tuple[str, ...]]  # each role's permissions

    def application(self, client_id: str) -> Application:
        """The application with that client id."""
        return next(app for app in self.applications if app.client_id == client_id)

    def user(self, short_name: str) -> User:
        """The demo user `alice`, `bob` or `admin`."""
        return next(user for user in self.users if user.short_name == short_name)


def user_permissions(user: DemoUser) -> tuple[str, ...]:
    """The API permissions a demo user holds."""
    return user.permissions


@cache
def tenant_contents(audience: str = API_AUDIENCE) -> TenantContents:
    """The built-in tenant's contents (none of it depends on where the site runs)."""
    directory = build_directory(TenantConfig(issuer="", site_origin="", audience=audience))
    applications = tuple(
        Application(client.client_id, client.name, APP_TYPES.get(client.app_type, client.app_type), client.client_secret,
                    tuple(GRANT_NAMES.get(grant, grant) for grant in client.grant_types if grant != PASSWORD_REALM_GRANT),
                    client.api_grants.get(audience, ()))
        for client in directory.clients.values())
    users = tuple(User(user.email, user.password, user.name, user.roles, user_permissions(user)) for user in DEMO_USERS)
    roles = {role.name: role.permissions for role in DEMO_ROLES}
    return TenantContents(audience, dict(directory.api.permissions), CONNECTION, applications, users, roles)


def listed(values: tuple[str, ...], none: str = "none") -> str:
    """`a`, `b` and `c` as Markdown."""
    quoted = [f"`{value}`" for value in values]
    if not quoted:
        return none
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def held(user: User) -> str:
    """A demo user's roles and the permissions they give, as Markdown."""
    if not user.roles:
        return "no role, no permissions"
    return f"role {listed(user.roles)}: {listed(user.permissions)}"


def readme_summary(contents: TenantContents) -> str:
    """The README's paragraph on the tenant's contents."""
    apps = "; ".join(
        f"`{app.client_id}` ({app.kind}{f', secret `{app.secret}`' if app.secret else ', public'}: "
        f"{', '.join(app.grants)}{f'; granted {listed(app.granted)}' if app.granted else ''})"
        for app in contents.applications)
    roles = "; ".join(f"`{name}` ({listed(permissions)})" for name, permissions in contents.roles.items())
    users = "; ".join(f"`{user.email}` / `{user.password}` ({held(user)})" for user in contents.users)
    return (f"- Contents: the API `{contents.audience}` with permissions {listed(tuple(contents.permissions))} (RBAC "
            f"on), the connection `{contents.connection}`; {len(contents.applications)} applications: {apps}; "
            f"{len(contents.roles)} roles: {roles}; {len(contents.users)} users: {users}.")


if __name__ == "__main__":
    print(readme_summary(tenant_contents()))
