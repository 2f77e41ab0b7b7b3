"""Secrets the site generates once and every instance shares (e.g. the session cookie's signing secret)."""

import secrets

from sqlalchemy import Column, MetaData, String, Table, select

from storage.database import Database

SCHEMA_VERSION = 1

metadata = MetaData()
site_secrets = Table(
    "site_secrets", metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(256), nullable=False),
)


class SiteSecrets:
    """Named random secrets kept in the database."""

    def __init__(self, database: Database) -> None:
        self.database = database
        database.bootstrap("site", metadata, SCHEMA_VERSION)

    def get_or_create(self, name: str) -> str:
        """The secret called `name`; the first instance to ask creates it, every later one reads it."""
        with self.database.transaction(exclusive=True) as connection:
            value = connection.scalar(select(site_secrets.c.value).where(site_secrets.c.name == name))
            if value is None:
                value = secrets.token_urlsafe(32)
                connection.execute(site_secrets.insert().values(name=name, value=value))
            return value
