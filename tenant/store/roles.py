"""Roles (Auth0's RBAC): their permissions and the users who hold them."""

import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Row, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from tenant.directory import DEMO_ROLES
from tenant.store.store import Store
from tenant.store.tables import role_permissions, roles, user_roles

TENANT_OWNER = ""
# Read at every login: built once.
ROLES_OF_USER = (select(roles).join(user_roles, user_roles.c.role_id == roles.c.id)
                 .where(user_roles.c.user_id == bindparam("holder")).order_by(roles.c.name, roles.c.id))


@dataclass(frozen=True)
class Role:
    """A role as stored."""

    id: str
    name: str
    description: str
    owner: str

    @classmethod
    def from_row(cls, row: Row) -> "Role":
        """Build from a `roles` row."""
        return cls(row.id, row.name, row.description, row.owner)


class RoleExists(Exception):
    """A role of that name already exists for that owner."""


class Roles:
    """Every read and write of roles, role permissions and user roles."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def seed_demo_roles(self, api_identifier: str) -> None:
        """The tenant's own roles with exactly their fixed permissions, whatever an earlier run left."""
        with self.store.transaction(exclusive=True) as db:
            for demo in DEMO_ROLES:
                if db.scalar(select(roles.c.id).where(roles.c.id == demo.id)) is None:
                    db.execute(insert(roles).values(id=demo.id, owner=TENANT_OWNER, name=demo.name,
                                                    description=demo.description, created_at=time.time()))
                db.execute(delete(role_permissions).where(role_permissions.c.role_id == demo.id))
                for permission in demo.permissions:
                    db.execute(insert(role_permissions).values(
                        role_id=demo.id, resource_server_identifier=api_identifier, permission_name=permission))

    def role(self, role_id: str) -> Role | None:
        """The role with that id, if any."""
        with self.store.transaction() as db:
            row = db.execute(select(roles).where(roles.c.id == role_id)).first()
        return Role.from_row(row) if row else None

    def roles(self, owners: frozenset[str] | None, name_filter: str | None = None) -> list[Role]:
        """Roles of these owners (all when None), by name; only names containing `name_filter` when given."""
        query = select(roles).order_by(roles.c.name, roles.c.id)
        if owners is not None:
            query = query.where(roles.c.owner.in_(owners))
        if name_filter:
            query = query.where(func.lower(roles.c.name).contains(name_filter.lower(), autoescape=True))
        with self.store.transaction() as db:
            return [Role.from_row(row) for row in db.execute(query)]

    def count_owned(self, owner: str) -> int:
        """How many roles an owner created."""
        with self.store.transaction() as db:
            return db.scalar(select(func.count()).where(roles.c.owner == owner))

    def create(self, owner: str, name: str, description: str) -> Role:
        """A new role; RoleExists when the owner has one of that name."""
        role = Role(f"rol_{secrets.token_urlsafe(12)}", name, description, owner)
        try:
            with self.store.transaction() as db:
                db.execute(insert(roles).values(id=role.id, owner=owner, name=name, description=description,
                                                created_at=time.time()))
        except IntegrityError:
            raise RoleExists(name) from None
        return role

    def update(self, role_id: str, changes: dict[str, str]) -> None:
        """Change a role's name or description; RoleExists when the new name is taken."""
        try:
            with self.store.transaction() as db:
                db.execute(update(roles).where(roles.c.id == role_id).values(**changes))
        except IntegrityError:
            raise RoleExists(changes.get("name", "")) from None

    def delete(self, role_ids: list[str]) -> None:
        """Delete roles, their permissions and their holders' membership."""
        with self.store.transaction() as db:
            for table, column in ((user_roles, user_roles.c.role_id), (role_permissions, role_permissions.c.role_id),
                                  (roles, roles.c.id)):
                db.execute(delete(table).where(column.in_(role_ids)))

    def owned(self, owner: str) -> list[str]:
        """The ids of the roles an owner created."""
        with self.store.transaction() as db:
            return list(db.scalars(select(roles.c.id).where(roles.c.owner == owner)))

    # Permissions of roles

    def permissions(self, role_ids: list[str]) -> list[tuple[str, str]]:
        """(API identifier, permission) pairs the roles give, each once, sorted."""
        if not role_ids:
            return []
        with self.store.transaction() as db:
            rows = db.execute(select(role_permissions.c.resource_server_identifier, role_permissions.c.permission_name)
                              .where(role_permissions.c.role_id.in_(role_ids)).distinct())
            return sorted((row[0], row[1]) for row in rows)

    def add_permissions(self, role_id: str, permissions: list[tuple[str, str]]) -> None:
        """Give the role these permissions (those it has stay)."""
        have = set(self.permissions([role_id]))
        with self.store.transaction() as db:
            for identifier, name in dict.fromkeys(permissions):
                if (identifier, name) not in have:
                    db.execute(insert(role_permissions).values(
                        role_id=role_id, resource_server_identifier=identifier, permission_name=name))

    def remove_permissions(self, role_id: str, permissions: list[tuple[str, str]]) -> None:
        """Take these permissions from the role."""
        with self.store.transaction() as db:
            for identifier, name in permissions:
                db.execute(delete(role_permissions).where(
                    role_permissions.c.role_id == role_id, role_permissions.c.resource_server_identifier == identifier,
                    role_permissions.c.permission_name == name))

    # Users' roles

    def of_user(self, user_id: str) -> list[Role]:
        """The roles a user holds, by name."""
        with self.store.transaction() as db:
            return [Role.from_row(row) for row in db.execute(ROLES_OF_USER, {"holder": user_id})]

    def assign(self, user_id: str, role_ids: list[str]) -> None:
        """Give the user these roles (those held stay)."""
        held = {role.id for role in self.of_user(user_id)}
        with self.store.transaction() as db:
            for role_id in dict.fromkeys(role_ids):
                if role_id not in held:
                    db.execute(insert(user_roles).values(user_id=user_id, role_id=role_id))

    def unassign(self, user_id: str, role_ids: list[str]) -> None:
        """Take these roles from the user."""
        with self.store.transaction() as db:
            db.execute(delete(user_roles).where(user_roles.c.user_id == user_id, user_roles.c.role_id.in_(role_ids)))

    def holders(self, role_id: str) -> list[str]:
        """The ids of the users holding a role, sorted."""
        with self.store.transaction() as db:
            return sorted(db.scalars(select(user_roles.c.user_id).where(user_roles.c.role_id == role_id)))

    def forget_user(self, user_id: str) -> None:
        """A deleted user holds no role."""
        with self.store.transaction() as db:
            db.execute(delete(user_roles).where(user_roles.c.user_id == user_id))
