"""The users list's `q` (Lucene-like field:value terms joined by AND) and `sort` (field:1 or field:-1)."""

import re

from sqlalchemy import ColumnElement, and_, false, true

from tenant.management.errors import bad_request
from tenant.store.tables import users

QUERY_FIELDS = {"email": users.c.email, "name": users.c.name, "nickname": users.c.nickname,
                "user_id": users.c.id, "email_verified": users.c.email_verified}
SORT_FIELDS = {"email": users.c.email, "name": users.c.name, "nickname": users.c.nickname,
               "created_at": users.c.created_at, "updated_at": users.c.updated_at, "user_id": users.c.id}
TERM = re.compile(r'\s*([a-z_]+):(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))\s*')
BAD_QUERY = "Query validation error: 'Invalid query' on property q (Supported: field:\"value\" terms with {fields})."
BAD_SORT = "Query validation error: 'String does not match pattern' on property sort (field:1 or field:-1, fields: {fields})."
MAX_QUERY = 512


def term_condition(field: str, value: str) -> ColumnElement[bool]:
    """One field:value term: exact, or a prefix with a trailing *."""
    column = QUERY_FIELDS[field]
    if field == "user_id":
        value = value.removeprefix("auth0|")
    if field == "email":
        value = value.lower()
    if field == "email_verified":
        return column.is_(value == "true") if value in ("true", "false") else false()
    if value.endswith("*") and len(value) > 1:
        return column.startswith(value[:-1], autoescape=True)
    return column == value


def query_condition(q: str | None) -> ColumnElement[bool]:
    """The SQL condition of `q`; 400 for what it cannot read."""
    if not q or not q.strip():
        return true()
    refused = bad_request(BAD_QUERY.format(fields=", ".join(QUERY_FIELDS)), "invalid_query_string")
    if len(q) > MAX_QUERY:
        raise refused
    conditions = []
    for part in re.split(r"\s+AND\s+", q.strip()):
        match = TERM.fullmatch(part)
        if match is None or match.group(1) not in QUERY_FIELDS:
            raise refused
        value = match.group(2) if match.group(2) is not None else match.group(3)
        conditions.append(term_condition(match.group(1), value.replace('\\"', '"')))
    return and_(*conditions)


def sort_order(sort: str | None) -> list:
    """The ORDER BY of `sort` (newest first when absent), ties broken by id."""
    if not sort:
        return [users.c.created_at, users.c.id]
    field, _, direction = sort.partition(":")
    if field not in SORT_FIELDS or direction not in ("1", "-1"):
        raise bad_request(BAD_SORT.format(fields=", ".join(SORT_FIELDS)), "invalid_query_string")
    column = SORT_FIELDS[field]
    return [column.asc() if direction == "1" else column.desc(), users.c.id]
