"""The Management API's users: list and search, by email, get, create, update, delete."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from tenant.directory import CONNECTION
from tenant.management.caller import Caller, CurrentTenant, needs
from tenant.management.errors import (READ_ONLY_CREDENTIALS, TOO_MANY, USER_EXISTS, ManagementError, bad_request)
from tenant.management.pages import Page
from tenant.management.reach import MAX_USERS_PER_APP
from tenant.management.search import query_condition, sort_order
from tenant.management.user_access import changeable_user, seen_user, visible_users
from tenant.management.views import user_view
from tenant.management.withdrawal import delete_user
from tenant.security.passwords import check_policy
from tenant.services import Tenant
from tenant.store.metadata import MetadataError, checked
from tenant.store.store import EmailTaken
from tenant.store.users import EMAIL_PATTERN, User

router = APIRouter(tags=["users"])
NO_CONNECTION = "The connection does not exist."
BAD_EMAIL = "Payload validation error: 'Object didn't pass validation for format email: {email}' on property email."
WEAK_PASSWORD = "PasswordStrengthError: Password is too weak"
UPDATE_SCOPES = ("update:users",)
METADATA_SCOPES = ("update:users", "update:users_app_metadata")

ShortText = Annotated[str, Field(max_length=300)]


class NewUser(BaseModel):
    """POST /users."""

    model_config = ConfigDict(extra="forbid")
    connection: Annotated[str, Field(max_length=128)]
    email: Annotated[str, Field(max_length=320)]
    password: Annotated[str, Field(max_length=512)]
    name: ShortText | None = None
    nickname: ShortText | None = None
    given_name: ShortText | None = None
    family_name: ShortText | None = None
    picture: Annotated[str, Field(max_length=2048)] | None = None
    username: ShortText | None = None
    email_verified: bool = False
    verify_email: bool | None = None
    blocked: bool = False
    user_metadata: dict | None = None
    app_metadata: dict | None = None


class UserChanges(BaseModel):
    """PATCH /users/{id}."""

    model_config = ConfigDict(extra="forbid")
    connection: Annotated[str, Field(max_length=128)] | None = None
    email: Annotated[str, Field(max_length=320)] | None = None
    password: Annotated[str, Field(max_length=512)] | None = None
    name: ShortText | None = None
    nickname: ShortText | None = None
    given_name: ShortText | None = None
    family_name: ShortText | None = None
    picture: Annotated[str, Field(max_length=2048)] | None = None
    username: ShortText | None = None
    email_verified: bool | None = None
    verify_email: bool | None = None
    blocked: bool | None = None
    user_metadata: dict | None = None
    app_metadata: dict | None = None


def view(tenant: Tenant, user: User) -> dict:
    """The user as the Management API shows it."""
    return user_view(user, tenant.config.issuer)


def valid_email(email: str) -> str:
    """The email if Auth0 would take it; 400 otherwise."""
    if not EMAIL_PATTERN.match(email):
        raise bad_request(BAD_EMAIL.format(email=email))
    return email


def hashed_password(tenant: Tenant, password: str) -> str:
    """The password's hash, if it meets the policy; 400 otherwise."""
    policy = check_policy(password)
    if not policy.ok:
        raise bad_request(WEAK_PASSWORD)
    return tenant.users.passwords.hash(password, remember=True)


def checked_metadata(name: str, value: dict | None) -> dict | None:
    """Metadata as Auth0 takes it; 400 otherwise."""
    try:
        return None if value is None else checked(name, value)
    except MetadataError as refused:
        raise bad_request(f"Payload validation error: '{refused}' on property {name}.") from None


@router.get("/users")
def list_users(tenant: CurrentTenant, page: Page, caller: Annotated[Caller, needs("read:users")],
               q: Annotated[str | None, Query(max_length=512)] = None,
               sort: Annotated[str | None, Query(max_length=64)] = None,
               connection: Annotated[str | None, Query(max_length=128)] = None,
               search_engine: Annotated[str | None, Query(max_length=8)] = None,
               fields: Annotated[str | None, Query(max_length=512)] = None,
               include_fields: bool = True) -> object:
    """GET /api/v2/users: the users the caller may see, matching `q`, in `sort` order."""
    condition = visible_users(tenant, caller) & query_condition(q)
    if connection not in (None, CONNECTION):
        return page.answer("users", [], 0)
    records, total = tenant.store.users_page(condition, sort_order(sort), page.start, page.per_page)
    shown = [selected(view(tenant, tenant.users.user(record)), fields, include_fields) for record in records]
    return page.answer("users", shown, total)


def selected(user: dict, fields: str | None, include_fields: bool) -> dict:
    """Only the `fields` asked for (or all but them when include_fields is false)."""
    if not fields:
        return user
    names = set(fields.split(","))
    return {key: value for key, value in user.items() if (key in names) == include_fields}


@router.get("/users-by-email")
def users_by_email(tenant: CurrentTenant, caller: Annotated[Caller, needs("read:users")],
                   email: Annotated[str, Query(max_length=320)],
                   fields: Annotated[str | None, Query(max_length=512)] = None,
                   include_fields: bool = True) -> list:
    """GET /api/v2/users-by-email: the user with that email, if the caller may see it."""
    record = tenant.store.user_by_email(email)
    if record is None:
        return []
    user = tenant.users.user(record)
    if not caller.reach.may_see_user(record.id, user.account.created_by):
        return []
    return [selected(view(tenant, user), fields, include_fields)]


@router.get("/users/{user_id}")
def get_user(user_id: str, tenant: CurrentTenant, caller: Annotated[Caller, needs("read:users")],
             fields: Annotated[str | None, Query(max_length=512)] = None, include_fields: bool = True) -> dict:
    """GET /api/v2/users/{id}."""
    return selected(view(tenant, seen_user(tenant, caller, user_id)), fields, include_fields)


@router.post("/users", status_code=201)
def create_user(body: NewUser, tenant: CurrentTenant, caller: Annotated[Caller, needs("create:users")]) -> dict:
    """POST /api/v2/users: a user of the database connection, created by (and so reachable by) the caller."""
    if not caller.reach.may_create:
        raise ManagementError(403, READ_ONLY_CREDENTIALS, "operation_not_supported")
    if body.connection != CONNECTION:
        raise bad_request(NO_CONNECTION, "inexistent_connection")
    if not caller.reach.full and tenant.users.accounts.count_created_by(caller.client_id) >= MAX_USERS_PER_APP:
        raise ManagementError(403, TOO_MANY.format(limit=MAX_USERS_PER_APP, things="users"), "too_many_entities")
    profile = {key: value for key, value in body.model_dump(include={
        "name", "nickname", "given_name", "family_name", "picture", "username"}).items() if value is not None}
    for name in ("user_metadata", "app_metadata"):
        metadata = checked_metadata(name, getattr(body, name))
        if metadata:
            profile[name] = metadata
    password_hash = hashed_password(tenant, body.password)
    try:
        user = tenant.users.create(valid_email(body.email), password_hash, profile, body.email_verified,
                                   created_by=None if caller.reach.full else caller.client_id, blocked=body.blocked)
    except EmailTaken:
        raise ManagementError(409, USER_EXISTS, "auth0_idp_error") from None
    return view(tenant, user)


@router.patch("/users/{user_id}")
def update_user(user_id: str, body: UserChanges, tenant: CurrentTenant,
                caller: Annotated[Caller, needs(*METADATA_SCOPES)]) -> dict:
    """PATCH /api/v2/users/{id}: profile, email, password, blocked, and metadata merged as Auth0 merges it."""
    changes = body.model_dump(exclude_unset=True, exclude={"connection", "verify_email"})
    if set(changes) - {"app_metadata", "user_metadata"}:
        caller.require(*UPDATE_SCOPES)
    user = changeable_user(tenant, caller, user_id)
    record_id = user.record.id
    columns = {key: changes[key] for key in ("name", "nickname", "email_verified") if changes.get(key) is not None}
    if changes.get("email") is not None:
        columns["email"] = valid_email(changes["email"]).lower()
    if changes.get("password") is not None:
        columns["password_hash"] = hashed_password(tenant, changes["password"])
    try:
        tenant.users.merge_metadata(record_id, changes.get("user_metadata"), changes.get("app_metadata"))
    except MetadataError as refused:
        raise bad_request(f"Payload validation error: '{refused}'.") from None
    profile = {key: changes[key] for key in ("given_name", "family_name", "picture", "username") if key in changes}
    if profile:
        tenant.users.accounts.update_profile(record_id, lambda current: {
            **{k: v for k, v in current.items() if k not in profile}, **{k: v for k, v in profile.items() if v}})
    if columns:
        try:
            tenant.store.update_user(record_id, **columns)
        except EmailTaken:
            raise ManagementError(409, USER_EXISTS, "auth0_idp_error") from None
    if changes.get("blocked") is not None:
        tenant.users.accounts.set_blocked(record_id, changes["blocked"])
    return view(tenant, tenant.users.by_id(record_id))


@router.delete("/users/{user_id}", status_code=204)
def remove_user(user_id: str, tenant: CurrentTenant, caller: Annotated[Caller, needs("delete:users")]) -> Response:
    """DELETE /api/v2/users/{id}: the user, and whatever the user made on the site."""
    delete_user(tenant, changeable_user(tenant, caller, user_id).record.id)
    return Response(status_code=204)
