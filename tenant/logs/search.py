"""Auth0's log search query (`q`) as far as the tenant understands it: `field:value` terms joined by AND."""

import re

# The fields a query may name, as Auth0's log search calls them.
SEARCHABLE = frozenset({"type", "user_id", "user_name", "client_id", "client_name", "ip", "connection", "log_id",
                        "description"})
MAX_QUERY = 1024
MAX_VALUES = 32
TERM = re.compile(r'\s*(?P<field>[a-z_]+):(?:"(?P<quoted>[^"]*)"|\((?P<group>[^()]*)\)|(?P<bare>[^\s()"]+))\s*')
VALUE = re.compile(r'\s*(?:"(?P<quoted>[^"]*)"|(?P<bare>[^\s"]+))\s*')
INVALID_QUERY = ("Invalid query string: use field:value terms joined by AND, such as "
                 'type:fp AND user_name:"alice@example.com", or type:(fp OR fu). Fields: ' + ", ".join(sorted(SEARCHABLE)))


class InvalidQuery(ValueError):
    """A `q` the tenant cannot read."""


def group_values(group: str) -> list[str]:
    """The values of `(a OR b OR "c d")`."""
    parts = re.split(r"\s+OR\s+", group.strip())
    if len(parts) > MAX_VALUES:
        raise InvalidQuery(INVALID_QUERY)
    values = []
    for part in parts:
        found = VALUE.fullmatch(part)
        if found is None or not part.strip():
            raise InvalidQuery(INVALID_QUERY)
        values.append(found.group("quoted") if found.group("quoted") is not None else found.group("bare"))
    return values


def parse_query(q: str) -> dict[str, frozenset[str]]:
    """The values each field must have (any of them); an empty query asks for everything."""
    if len(q) > MAX_QUERY:
        raise InvalidQuery(INVALID_QUERY)
    filters: dict[str, frozenset[str]] = {}
    for position, part in enumerate(re.split(r"\s+AND\s+", q.strip()) if q.strip() else []):
        term = TERM.fullmatch(part)
        if term is None or term.group("field") not in SEARCHABLE or position >= MAX_VALUES:
            raise InvalidQuery(INVALID_QUERY)
        if term.group("group") is not None:
            values = frozenset(group_values(term.group("group")))
        else:
            values = frozenset({term.group("quoted") if term.group("quoted") is not None else term.group("bare")})
        field = term.group("field")
        # Two terms on one field must both hold: only their common values can.
        filters[field] = filters[field] & values if field in filters else values
    return filters
