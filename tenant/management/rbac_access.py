"""Roles and permissions as a Management API caller names them: checked against the tenant and the caller's reach."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from tenant.management.caller import Caller
from tenant.management.errors import (READ_ONLY_CREDENTIALS, ROLE_NOT_FOUND, ROLE_OUT_OF_REACH, ManagementError,
                                      bad_request)
from tenant.services import Tenant
from tenant.store.roles import Role

MAX_ITEMS = 50
UNKNOWN_API = "Resource server '{identifier}' does not exist."
UNKNOWN_PERMISSION = "Permission '{name}' does not exist on resource server '{identifier}'."


class PermissionName(BaseModel):
    """A permission named by its API and its value."""

    model_config = ConfigDict(extra="forbid")
    resource_server_identifier: Annotated[str, Field(max_length=320)]
    permission_name: Annotated[str, Field(max_length=280)]


class Permissions(BaseModel):
    """A body naming permissions."""

    model_config = ConfigDict(extra="forbid")
    permissions: Annotated[list[PermissionName], Field(min_length=1, max_length=MAX_ITEMS)]


class RoleIds(BaseModel):
    """A body naming roles."""

    model_config = ConfigDict(extra="forbid")
    roles: Annotated[list[Annotated[str, Field(max_length=64)]], Field(min_length=1, max_length=MAX_ITEMS)]


class UserIds(BaseModel):
    """A body naming users."""

    model_config = ConfigDict(extra="forbid")
    users: Annotated[list[Annotated[str, Field(max_length=128)]], Field(min_length=1, max_length=MAX_ITEMS)]


def known_permissions(tenant: Tenant, body: Permissions) -> list[tuple[str, str]]:
    """The (API, permission) pairs of the body; 404 for an unknown API, 400 for an unknown permission."""
    pairs = []
    for named in body.permissions:
        if named.resource_server_identifier != tenant.directory.api.identifier:
            raise ManagementError(404, UNKNOWN_API.format(identifier=named.resource_server_identifier),
                                  "inexistent_resource_server")
        if named.permission_name not in tenant.directory.api.permissions:
            raise bad_request(UNKNOWN_PERMISSION.format(name=named.permission_name,
                                                        identifier=named.resource_server_identifier))
        pairs.append((named.resource_server_identifier, named.permission_name))
    return pairs


def seen_role(tenant: Tenant, caller: Caller, role_id: str) -> Role:
    """The role if the caller may see it; 404 as if it did not exist otherwise."""
    role = tenant.users.roles.role(role_id)
    if role is None or not caller.reach.may_see_role(role):
        raise ManagementError(404, ROLE_NOT_FOUND, "inexistent_role")
    return role


def changeable_role(tenant: Tenant, caller: Caller, role_id: str) -> Role:
    """The role if the caller may change it: 404 if unseen, 403 if seen but out of reach."""
    role = seen_role(tenant, caller, role_id)
    if not caller.reach.may_change_role(role):
        raise ManagementError(403, ROLE_OUT_OF_REACH if caller.reach.may_create else READ_ONLY_CREDENTIALS,
                              "operation_not_supported")
    return role
