"""Finding a user for a Management API caller: 404 for one that does not exist or that the caller may not see."""

from sqlalchemy import ColumnElement, true

from tenant.management.caller import Caller
from tenant.management.errors import OUT_OF_REACH, READ_ONLY_CREDENTIALS, USER_NOT_FOUND, ManagementError
from tenant.services import Tenant
from tenant.store.tables import users
from tenant.store.users import DEMO_USER_IDS, User

USER_ID_PREFIX = "auth0|"


def visible_users(tenant: Tenant, caller: Caller) -> ColumnElement[bool]:
    """The SQL condition of the users the caller may see."""
    if caller.reach.full:
        return true()
    created = tenant.users.accounts.created_by(caller.client_id) if caller.reach.may_create else []
    return users.c.id.in_(sorted(DEMO_USER_IDS | set(created)))


def seen_user(tenant: Tenant, caller: Caller, user_id: str) -> User:
    """The user with that id (`auth0|...`) if the caller may see it; else 404 as if it did not exist."""
    user = tenant.users.by_id(user_id.removeprefix(USER_ID_PREFIX)) if user_id.startswith(USER_ID_PREFIX) else None
    if user is None or not caller.reach.may_see_user(user.record.id, user.account.created_by):
        raise ManagementError(404, USER_NOT_FOUND, "inexistent_user")
    return user


def changeable_user(tenant: Tenant, caller: Caller, user_id: str) -> User:
    """The user if the caller may change it: 404 if unseen, 403 if seen but out of reach."""
    user = seen_user(tenant, caller, user_id)
    if not caller.reach.may_change_user(user.record.id, user.account.created_by):
        raise ManagementError(403, OUT_OF_REACH if caller.reach.may_create else READ_ONLY_CREDENTIALS,
                              "operation_not_supported")
    return user
