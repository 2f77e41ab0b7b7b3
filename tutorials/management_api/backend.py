"""A backend managing users through Auth0's Management API with auth0-python: read a user, set their app_metadata,
assign them a role. The SDK gets (and renews) its own M2M token for the audience https://<domain>/api/v2/."""

import os

from auth0.management import ManagementClient


def management_client(domain: str, client_id: str, client_secret: str) -> ManagementClient:
    """A Management API client for an M2M application authorized for the Management API."""
    return ManagementClient(domain=domain, client_id=client_id, client_secret=client_secret)


def find_user(management: ManagementClient, email: str) -> dict:
    """The user with that email: id, email, app_metadata and roles."""
    user = management.users.list_users_by_email(email=email)[0]
    roles = [role.name for role in management.users.roles.list(user.user_id).items]
    return {"user_id": user.user_id, "email": user.email, "app_metadata": user.app_metadata or {}, "roles": roles}


def set_plan(management: ManagementClient, user_id: str, plan: str) -> dict:
    """Keep the user's plan in app_metadata (other top-level keys stay: Auth0 merges them)."""
    return management.users.update(user_id, app_metadata={"plan": plan}).app_metadata


def assign_role(management: ManagementClient, user_id: str, role_name: str) -> None:
    """Give the user the role of that name."""
    role = next(role for role in management.roles.list(name_filter=role_name).items if role.name == role_name)
    management.users.roles.assign(user_id, roles=[role.id])


if __name__ == "__main__":
    client = management_client(os.environ["AUTH0_DOMAIN"], os.environ["M2M_CLIENT_ID"], os.environ["M2M_CLIENT_SECRET"])
    email = os.environ.get("USER_EMAIL", "bob@example.com")
    user = find_user(client, email)
    print("before:", user)
    set_plan(client, user["user_id"], "pro")
    assign_role(client, user["user_id"], "reader")
    print("after: ", find_user(client, email))
