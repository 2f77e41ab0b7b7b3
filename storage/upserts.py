"""INSERT ... ON CONFLICT (keys) DO UPDATE, which SQLite and PostgreSQL spell alike through their own dialects."""

from collections.abc import Callable

from sqlalchemy import ColumnCollection, Connection, Insert, Table

Changes = Callable[[ColumnCollection], dict]


def dialect_insert(dialect_name: str) -> Callable[[Table], Insert]:
    """The `insert` of the named dialect, whose module is imported only by a site that uses it."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def upsert_statement(dialect_name: str, table: Table, values: dict, keys: list[str], changes: Changes) -> Insert:
    """The statement that inserts `values`, or on a conflict over `keys` sets changes(excluded)."""
    statement = dialect_insert(dialect_name)(table).values(**values)
    return statement.on_conflict_do_update(index_elements=keys, set_=changes(statement.excluded))


def upsert(connection: Connection, table: Table, values: dict, keys: list[str], changes: Changes) -> None:
    """Insert `values`, or on a conflict over `keys` set changes(excluded)."""
    connection.execute(upsert_statement(connection.dialect.name, table, values, keys, changes))


class PreparedUpsert:
    """An upsert whose values are bound parameters: built once per dialect, then run with each row's values."""

    def __init__(self, table: Table, row: dict, keys: list[str], changes: Changes) -> None:
        self.table = table
        self.row = row
        self.keys = keys
        self.changes = changes
        self._statements: dict[str, Insert] = {}

    def statement(self, dialect_name: str) -> Insert:
        """The statement in this dialect, built at its first use."""
        statement = self._statements.get(dialect_name)
        if statement is None:
            statement = upsert_statement(dialect_name, self.table, self.row, self.keys, self.changes)
            self._statements[dialect_name] = statement
        return statement

    def execute(self, connection: Connection, values: dict) -> None:
        """Run it with `values` for its bound parameters."""
        connection.execute(self.statement(connection.dialect.name), values)
