"""The site's database layer: SQLite under DATA_DIR by default, PostgreSQL when DATABASE_URL is set."""

from storage.database import Database, DatabaseUnavailable, first_line, open_database
from storage.upserts import PreparedUpsert, upsert
from storage.urls import database_url_for

__all__ = ["Database", "DatabaseUnavailable", "PreparedUpsert", "database_url_for", "first_line", "open_database",
           "upsert"]
