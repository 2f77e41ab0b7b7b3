"""Users, roles and permissions as the Management API shows them."""

from tenant.directory import CONNECTION, Api
from tenant.store.roles import Role
from tenant.store.users import User, iso_time

PROFILE_FIELDS = ("given_name", "family_name", "username")


def user_view(user: User, issuer: str) -> dict:
    """Auth0's user object (no password hash, ever)."""
    record, account = user.record, user.account
    view = {
        "user_id": user.sub, "email": record.email, "email_verified": record.email_verified, "name": record.name,
        "nickname": record.nickname, **user.claims({"profile"}, issuer) | {"updated_at": iso_time(record.updated_at)},
        "created_at": iso_time(record.created_at),
        "identities": [{"connection": CONNECTION, "provider": "auth0", "user_id": record.id, "isSocial": False}],
        "user_metadata": user.user_metadata, "app_metadata": user.app_metadata,
        "logins_count": account.logins_count,
    }
    view.update({key: user.profile[key] for key in PROFILE_FIELDS if key in user.profile})
    if account.last_login is not None:
        view.update(last_login=iso_time(account.last_login), last_ip=account.last_ip)
    if account.blocked:
        view["blocked"] = True
    return view


def member_view(user: User, issuer: str) -> dict:
    """A role's member, as GET /roles/{id}/users lists it."""
    view = user_view(user, issuer)
    return {key: view[key] for key in ("user_id", "email", "picture", "name")}


def role_view(role: Role) -> dict:
    """Auth0's role object."""
    return {"id": role.id, "name": role.name, "description": role.description}


def permission_view(api: Api, name: str) -> dict:
    """A permission of an API, as a role's permissions list shows it."""
    return {"resource_server_identifier": api.identifier, "permission_name": name,
            "resource_server_name": api.name, "description": api.permissions.get(name, "")}
