"""Listing log events as Auth0's Management API does: `q`, `sort`, `fields`, pages with totals, or a checkpoint."""

from collections.abc import Mapping
from dataclasses import dataclass

from tenant.http import whole_number
from tenant.logs.search import InvalidQuery, parse_query
from tenant.store.logs import Filters, LogQuery, LogStore

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
# As on Auth0, a search pages through its first 1,000 results at most.
MAX_RESULTS = 1000
SORTS = {"date:-1": False, "date:1": True}
BAD_PAGE = "page and per_page must be whole numbers; per_page at most 100, and page × per_page below 1000."
BAD_TAKE = "take must be a whole number from 1 to 100."
BAD_SORT = "sort must be date:1 or date:-1."
BAD_BOOLEAN = "{name} must be true or false."


class InvalidListing(ValueError):
    """Query parameters of a log listing that cannot be read; its message says which."""


@dataclass(frozen=True)
class LogListing:
    """What a caller asked for: filters, order, a page (with or without totals) or the events after a checkpoint."""

    filters: Filters
    page: int = 0
    per_page: int = DEFAULT_PER_PAGE
    include_totals: bool = False
    oldest_first: bool = False
    after: str | None = None
    fields: tuple[str, ...] = ()
    include_fields: bool = True


def boolean(params: Mapping[str, str], name: str, default: bool) -> bool:
    """A true/false query parameter."""
    value = params.get(name)
    if value is None:
        return default
    if value not in ("true", "false"):
        raise InvalidListing(BAD_BOOLEAN.format(name=name))
    return value == "true"


def read_listing(params: Mapping[str, str]) -> LogListing:
    """The listing a request's query parameters ask for; InvalidListing says what is wrong."""
    try:
        # Auth0's API calls it q; its current Python SDK sends it as search.
        filters = parse_query(params.get("q") or params.get("search") or "")
    except InvalidQuery as error:
        raise InvalidListing(str(error)) from None
    sort = params.get("sort", "date:-1")
    if sort not in SORTS:
        raise InvalidListing(BAD_SORT)
    fields = tuple(field for field in params.get("fields", "").split(",") if field)
    include_fields = boolean(params, "include_fields", True)
    if "from" in params or "take" in params:
        take = whole_number(params.get("take", str(DEFAULT_PER_PAGE)))
        if take is None or not 1 <= take <= MAX_PER_PAGE:
            raise InvalidListing(BAD_TAKE)
        return LogListing(filters, per_page=take, after=params.get("from", ""), fields=fields,
                          include_fields=include_fields)
    page, per_page = whole_number(params.get("page", "0")), whole_number(params.get("per_page", str(DEFAULT_PER_PAGE)))
    if page is None or per_page is None or not 1 <= per_page <= MAX_PER_PAGE or page * per_page >= MAX_RESULTS:
        raise InvalidListing(BAD_PAGE)
    return LogListing(filters, page, per_page, boolean(params, "include_totals", False), SORTS[sort], None, fields,
                      include_fields)


def chosen_fields(event: dict, listing: LogListing) -> dict:
    """The event with only the fields asked for (or without those excluded)."""
    if not listing.fields:
        return event
    wanted = set(listing.fields)
    return {name: value for name, value in event.items() if (name in wanted) == listing.include_fields}


def list_logs(store: LogStore, reach: LogQuery, listing: LogListing) -> list[dict] | dict:
    """The events a caller may read that the listing asks for, as Auth0 answers: a list, or a page with totals."""
    offset = 0 if listing.after is not None else listing.page * listing.per_page
    found = store.events(reach, listing.per_page, offset, listing.filters, listing.after, listing.oldest_first)
    logs = [chosen_fields(event, listing) for event in found]
    if not listing.include_totals:
        return logs
    total = min(store.count(reach, listing.filters), MAX_RESULTS)
    return {"start": offset, "limit": listing.per_page, "length": len(logs), "total": total, "logs": logs}
