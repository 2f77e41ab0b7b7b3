"""Who may reach what through the Management API: the rule that keeps public demo credentials from visitors' data.

- On a loopback site (the developer's machine) the demo M2M client reaches the whole tenant.
- The operator's client (TENANT_MANAGEMENT_SECRET) reaches the whole tenant anywhere.
- On a deployed site the public demo M2M client reads the demo users and the tenant's roles, and changes nothing.
- A visitor's own application (made on /u/applications) reads the demo users and the tenant's roles, and creates,
  reads, changes and deletes only the users and roles it created itself (at most MAX_USERS_PER_APP and
  MAX_ROLES_PER_APP).
The demo users and roles are never changed except with full reach: the room shares them.
"""

from dataclasses import dataclass

from tenant.directory import OPERATOR_CLIENT_ID
from tenant.store.roles import TENANT_OWNER, Role
from tenant.store.users import DEMO_USER_IDS

DEMO_CLIENT_ID = "m2m"
MAX_USERS_PER_APP = 20
MAX_ROLES_PER_APP = 10


@dataclass(frozen=True)
class Reach:
    """What one Management API client may see and change."""

    client_id: str
    full: bool
    may_create: bool

    @classmethod
    def of(cls, client_id: str, loopback: bool, visitor_app: bool) -> "Reach":
        """The reach of a client on this site."""
        full = client_id == OPERATOR_CLIENT_ID or (loopback and client_id == DEMO_CLIENT_ID)
        return cls(client_id, full, full or visitor_app)

    @property
    def owner(self) -> str:
        """Who owns what this client creates: the tenant itself with full reach, else the client."""
        return TENANT_OWNER if self.full else self.client_id

    def may_see_user(self, user_id: str, created_by: str | None) -> bool:
        """Whether the client may read the user."""
        return self.full or user_id in DEMO_USER_IDS or (self.may_create and created_by == self.client_id)

    def may_change_user(self, user_id: str, created_by: str | None) -> bool:
        """Whether the client may change or delete the user."""
        return self.full or (self.may_create and created_by == self.client_id and user_id not in DEMO_USER_IDS)

    def role_owners(self) -> frozenset[str] | None:
        """The owners whose roles the client sees (None: every role)."""
        return None if self.full else frozenset({TENANT_OWNER, self.client_id})

    def may_see_role(self, role: Role) -> bool:
        """Whether the client may read the role."""
        return self.full or role.owner in (TENANT_OWNER, self.client_id)

    def may_change_role(self, role: Role) -> bool:
        """Whether the client may change or delete the role (or its permissions)."""
        return self.full or (self.may_create and role.owner == self.client_id)
