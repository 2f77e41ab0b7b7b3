"""The Management API's logs: search and list, one event by id, and one user's events (scope read:logs)."""

from dataclasses import replace

from fastapi import APIRouter, Request

from tenant.logs.listing import InvalidListing, LogListing, list_logs, read_listing
from tenant.management.caller import Caller, CurrentTenant, needs
from tenant.management.errors import ManagementError, bad_request
from tenant.management.user_access import seen_user
from tenant.services import Tenant
from tenant.store.logs import LogQuery

router = APIRouter(tags=["logs"])
LOG_NOT_FOUND = "The log does not exist."
READ_LOGS = ("read:logs",)
READ_USER_LOGS = ("read:logs", "read:logs_users")


def log_reach(tenant: Tenant, caller: Caller) -> LogQuery:
    """The events a caller may read: all, with full reach; else those of the users and requests of its own."""
    # The public demo credentials on a deployed site read none: a demo user's events come from every visitor.
    if caller.reach.full:
        return LogQuery(everything=True)
    if not caller.reach.may_create:
        return LogQuery()
    created = frozenset(f"auth0|{user_id}" for user_id in tenant.users.accounts.created_by(caller.client_id))
    return LogQuery(whole_users=created, clients=frozenset({caller.client_id}))


def listing_of(request: Request) -> LogListing:
    """The listing the query parameters ask for; 400 in Auth0's words when they cannot be read."""
    try:
        return read_listing(request.query_params)
    except InvalidListing as error:
        raise bad_request(str(error), "invalid_query_string") from None


@router.get("/logs")
def search_logs(request: Request, tenant: CurrentTenant, caller: Caller = needs(*READ_LOGS)) -> list | dict:
    """GET /api/v2/logs: events matching `q`, by page (with totals) or after the checkpoint `from`."""
    listing = listing_of(request)
    tenant.logs.flush()
    return list_logs(tenant.logs.store, log_reach(tenant, caller), listing)


@router.get("/logs/{log_id}")
def get_log(log_id: str, tenant: CurrentTenant, caller: Caller = needs(*READ_LOGS)) -> dict:
    """GET /api/v2/logs/{id}: one event, if the caller may read it (404 otherwise, as if it did not exist)."""
    tenant.logs.flush()
    event = tenant.logs.store.event(log_reach(tenant, caller), log_id[:64])
    if event is None:
        raise ManagementError(404, LOG_NOT_FOUND, "inexistent_log")
    return event


@router.get("/users/{user_id}/logs")
def user_logs(user_id: str, request: Request, tenant: CurrentTenant,
              caller: Caller = needs(*READ_USER_LOGS)) -> list | dict:
    """GET /api/v2/users/{id}/logs: one user's events, newest first (404 for a user the caller may not see)."""
    user = seen_user(tenant, caller, user_id)
    listing = listing_of(request)
    listing = replace(listing, filters={**listing.filters, "user_id": frozenset({user.sub})})
    tenant.logs.flush()
    return list_logs(tenant.logs.store, log_reach(tenant, caller), listing)
