"""Deleting a user, with everything the user made: their applications, and the users and roles those created."""

from tenant.services import Tenant


def forget_user(tenant: Tenant, user_id: str) -> None:
    """Delete one user's record, credentials, profile, account and roles."""
    tenant.store.delete_user(user_id)
    tenant.users.accounts.forget(user_id)
    tenant.users.roles.forget_user(user_id)


def delete_app(tenant: Tenant, client_id: str) -> None:
    """Delete a visitor's application and the users and roles it created."""
    for created in tenant.users.accounts.created_by(client_id):
        forget_user(tenant, created)
    tenant.users.roles.delete(tenant.users.roles.owned(client_id))
    tenant.apps.delete(client_id)


def delete_user(tenant: Tenant, user_id: str) -> None:
    """Delete a user and the applications they made (with what those created)."""
    for app in tenant.apps.of_owner(user_id):
        delete_app(tenant, app.client_id)
    forget_user(tenant, user_id)
