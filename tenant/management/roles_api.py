"""The Management API's roles: list, get, create, update, delete, their permissions and their users."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from tenant.management.caller import Caller, CurrentTenant, needs
from tenant.management.errors import READ_ONLY_CREDENTIALS, ROLE_EXISTS, TOO_MANY, ManagementError
from tenant.management.pages import Checkpointed, Page
from tenant.management.rbac_access import Permissions, UserIds, changeable_role, known_permissions, seen_role
from tenant.management.reach import MAX_ROLES_PER_APP
from tenant.management.user_access import changeable_user
from tenant.management.views import member_view, permission_view, role_view
from tenant.store.roles import RoleExists

router = APIRouter(tags=["roles"])

RoleName = Annotated[str, Field(min_length=1, max_length=50)]
RoleDescription = Annotated[str, Field(max_length=140)]


class NewRole(BaseModel):
    """POST /roles."""

    model_config = ConfigDict(extra="forbid")
    name: RoleName
    description: RoleDescription = ""


class RoleChanges(BaseModel):
    """PATCH /roles/{id}."""

    model_config = ConfigDict(extra="forbid")
    name: RoleName | None = None
    description: RoleDescription | None = None


@router.get("/roles")
def list_roles(tenant: CurrentTenant, page: Page, caller: Annotated[Caller, needs("read:roles")],
               name_filter: Annotated[str | None, Query(max_length=50)] = None) -> object:
    """GET /api/v2/roles: the roles the caller may see."""
    roles = tenant.users.roles.roles(caller.reach.role_owners(), name_filter)
    return page.answer("roles", [role_view(role) for role in roles])


@router.post("/roles")
def create_role(body: NewRole, tenant: CurrentTenant, caller: Annotated[Caller, needs("create:roles")]) -> dict:
    """POST /api/v2/roles."""
    if not caller.reach.may_create:
        raise ManagementError(403, READ_ONLY_CREDENTIALS, "operation_not_supported")
    if not caller.reach.full and tenant.users.roles.count_owned(caller.client_id) >= MAX_ROLES_PER_APP:
        raise ManagementError(403, TOO_MANY.format(limit=MAX_ROLES_PER_APP, things="roles"), "too_many_entities")
    try:
        return role_view(tenant.users.roles.create(caller.reach.owner, body.name, body.description))
    except RoleExists:
        raise ManagementError(409, ROLE_EXISTS, "role_exists") from None


@router.get("/roles/{role_id}")
def get_role(role_id: str, tenant: CurrentTenant, caller: Annotated[Caller, needs("read:roles")]) -> dict:
    """GET /api/v2/roles/{id}."""
    return role_view(seen_role(tenant, caller, role_id))


@router.patch("/roles/{role_id}")
def update_role(role_id: str, body: RoleChanges, tenant: CurrentTenant,
                caller: Annotated[Caller, needs("update:roles")]) -> dict:
    """PATCH /api/v2/roles/{id}: its name or description."""
    role = changeable_role(tenant, caller, role_id)
    changes = {key: value for key, value in body.model_dump(exclude_unset=True).items() if value is not None}
    if changes:
        try:
            tenant.users.roles.update(role.id, changes)
        except RoleExists:
            raise ManagementError(409, ROLE_EXISTS, "role_exists") from None
    return role_view(tenant.users.roles.role(role.id))


@router.delete("/roles/{role_id}", status_code=204)
def delete_role(role_id: str, tenant: CurrentTenant, caller: Annotated[Caller, needs("delete:roles")]) -> Response:
    """DELETE /api/v2/roles/{id}: its holders lose it."""
    tenant.users.roles.delete([changeable_role(tenant, caller, role_id).id])
    return Response(status_code=204)


@router.get("/roles/{role_id}/permissions")
def role_permissions(role_id: str, tenant: CurrentTenant, page: Page,
                     caller: Annotated[Caller, needs("read:roles")]) -> object:
    """GET /api/v2/roles/{id}/permissions."""
    role = seen_role(tenant, caller, role_id)
    pairs = tenant.users.roles.permissions([role.id])
    return page.answer("permissions", [permission_view(tenant.directory.api, name) for _, name in pairs])


@router.post("/roles/{role_id}/permissions", status_code=201)
def add_role_permissions(role_id: str, body: Permissions, tenant: CurrentTenant,
                         caller: Annotated[Caller, needs("update:roles")]) -> Response:
    """POST /api/v2/roles/{id}/permissions."""
    role = changeable_role(tenant, caller, role_id)
    tenant.users.roles.add_permissions(role.id, known_permissions(tenant, body))
    return Response(status_code=201)


@router.delete("/roles/{role_id}/permissions", status_code=204)
def remove_role_permissions(role_id: str, body: Permissions, tenant: CurrentTenant,
                            caller: Annotated[Caller, needs("update:roles")]) -> Response:
    """DELETE /api/v2/roles/{id}/permissions."""
    role = changeable_role(tenant, caller, role_id)
    tenant.users.roles.remove_permissions(role.id, known_permissions(tenant, body))
    return Response(status_code=204)


@router.get("/roles/{role_id}/users")
def role_users(role_id: str, tenant: CurrentTenant, checkpoint: Checkpointed,
               caller: Annotated[Caller, needs("read:role_members", "read:users")],
               page: Annotated[int | None, Query(ge=0, le=1000)] = None,
               per_page: Annotated[int | None, Query(ge=1, le=100)] = None, include_totals: bool = False) -> object:
    """GET /api/v2/roles/{id}/users: the holders the caller may see (checkpoint or page paging)."""
    role = seen_role(tenant, caller, role_id)
    members = []
    for user_id in tenant.users.roles.holders(role.id):
        user = tenant.users.by_id(user_id)
        if user is not None and caller.reach.may_see_user(user_id, user.account.created_by):
            members.append(member_view(user, tenant.config.issuer))
    if page is None and per_page is None:
        return checkpoint.answer("users", members)
    size = per_page or 50
    shown = members[(page or 0) * size:((page or 0) + 1) * size]
    if not include_totals:
        return shown
    return {"start": (page or 0) * size, "limit": size, "total": len(members), "users": shown}


@router.post("/roles/{role_id}/users")
def assign_role_users(role_id: str, body: UserIds, tenant: CurrentTenant,
                      caller: Annotated[Caller, needs("create:role_members", "update:users")]) -> Response:
    """POST /api/v2/roles/{id}/users: give the role to these users."""
    role = seen_role(tenant, caller, role_id)
    users = [changeable_user(tenant, caller, user_id).record.id for user_id in body.users]
    for user_id in users:
        tenant.users.roles.assign(user_id, [role.id])
    return Response(status_code=200)

