"""A user's roles and permissions through the Management API: list, assign, remove."""

from typing import Annotated

from fastapi import APIRouter, Response

from tenant.management.caller import Caller, CurrentTenant, needs
from tenant.management.pages import Page
from tenant.management.rbac_access import Permissions, RoleIds, known_permissions, seen_role
from tenant.management.user_access import changeable_user, seen_user
from tenant.management.views import permission_view, role_view
from tenant.services import Tenant
from tenant.store.users import User

router = APIRouter(tags=["users"])


@router.get("/users/{user_id}/roles")
def user_roles(user_id: str, tenant: CurrentTenant, page: Page,
               caller: Annotated[Caller, needs("read:users", "read:roles")]) -> object:
    """GET /api/v2/users/{id}/roles."""
    user = seen_user(tenant, caller, user_id)
    return page.answer("roles", [role_view(role) for role in tenant.users.roles_of(user.record.id)])


@router.post("/users/{user_id}/roles", status_code=204)
def assign_user_roles(user_id: str, body: RoleIds, tenant: CurrentTenant,
                      caller: Annotated[Caller, needs("update:users", "create:role_members")]) -> Response:
    """POST /api/v2/users/{id}/roles: roles the caller may see, to a user it may change."""
    user = changeable_user(tenant, caller, user_id)
    roles = [seen_role(tenant, caller, role_id).id for role_id in body.roles]
    tenant.users.roles.assign(user.record.id, roles)
    return Response(status_code=204)


@router.delete("/users/{user_id}/roles", status_code=204)
def remove_user_roles(user_id: str, body: RoleIds, tenant: CurrentTenant,
                      caller: Annotated[Caller, needs("update:users", "delete:role_members")]) -> Response:
    """DELETE /api/v2/users/{id}/roles."""
    user = changeable_user(tenant, caller, user_id)
    tenant.users.roles.unassign(user.record.id, [seen_role(tenant, caller, role_id).id for role_id in body.roles])
    return Response(status_code=204)


def permission_sources(tenant: Tenant, user: User) -> list[dict]:
    """The user's permissions on the tenant's API, each with where it comes from: directly, or which roles."""
    sources: dict[str, list[dict]] = {}
    for name in user.record.permissions:
        sources.setdefault(name, []).append({"source_id": "", "source_name": "", "source_type": "DIRECT"})
    for role in tenant.users.roles_of(user.record.id):
        for _, name in tenant.users.roles.permissions([role.id]):
            sources.setdefault(name, []).append({"source_id": role.id, "source_name": role.name,
                                                 "source_type": "ROLE"})
    api = tenant.directory.api
    return [{**permission_view(api, name), "sources": sources[name]} for name in api.permissions if name in sources]


@router.get("/users/{user_id}/permissions")
def user_permissions(user_id: str, tenant: CurrentTenant, page: Page,
                     caller: Annotated[Caller, needs("read:users")]) -> object:
    """GET /api/v2/users/{id}/permissions: direct and through roles, as the access token gets them."""
    return page.answer("permissions", permission_sources(tenant, seen_user(tenant, caller, user_id)))


@router.post("/users/{user_id}/permissions", status_code=201)
def assign_user_permissions(user_id: str, body: Permissions, tenant: CurrentTenant,
                            caller: Annotated[Caller, needs("update:users")]) -> Response:
    """POST /api/v2/users/{id}/permissions: permissions given directly."""
    user = changeable_user(tenant, caller, user_id)
    added = [name for _, name in known_permissions(tenant, body)]
    tenant.store.set_direct_permissions(user.record.id, tuple(dict.fromkeys(user.record.permissions + tuple(added))))
    return Response(status_code=201)


@router.delete("/users/{user_id}/permissions", status_code=204)
def remove_user_permissions(user_id: str, body: Permissions, tenant: CurrentTenant,
                            caller: Annotated[Caller, needs("update:users")]) -> Response:
    """DELETE /api/v2/users/{id}/permissions: direct permissions taken away (those of roles stay)."""
    user = changeable_user(tenant, caller, user_id)
    removed = {name for _, name in known_permissions(tenant, body)}
    tenant.store.set_direct_permissions(user.record.id, tuple(p for p in user.record.permissions if p not in removed))
    return Response(status_code=204)
