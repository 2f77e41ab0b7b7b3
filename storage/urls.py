"""Which database to use: the URL a platform sets, in the form SQLAlchemy's psycopg driver takes."""

from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

SQLITE_FILE = "tenant.sqlite3"
POSTGRES_SCHEMES = ("postgres", "postgresql", "postgresql+psycopg")
URL_EXAMPLE = "postgresql://user:password@host:5432/name"


def normalise_database_url(raw: str) -> str:
    """`postgres://` and `postgresql://` (as Heroku and Render write them) as `postgresql+psycopg://`."""
    try:
        url = make_url(raw.strip())
    except ArgumentError:
        raise ValueError(f"must be a PostgreSQL URL such as {URL_EXAMPLE}") from None
    if url.drivername not in POSTGRES_SCHEMES:
        raise ValueError(f"must be a PostgreSQL URL such as {URL_EXAMPLE}, not {url.drivername}://...")
    if not url.host and not url.query.get("host"):
        raise ValueError(f"names no host; it should look like {URL_EXAMPLE}")
    if not url.database:
        raise ValueError(f"names no database; it should look like {URL_EXAMPLE}")
    return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def sqlite_url(data_dir: Path) -> str:
    """The default database: one SQLite file in the data folder."""
    return URL.create("sqlite", database=str(Path(data_dir) / SQLITE_FILE)).render_as_string()


def database_url_for(database_url: str | None, data_dir: Path) -> str:
    """DATABASE_URL when set, else the SQLite file under DATA_DIR."""
    return database_url or sqlite_url(data_dir)


def shown(url: str) -> str:
    """The URL as it may be printed: without its password."""
    return make_url(url).render_as_string(hide_password=True)


def password_of(url: str) -> str | None:
    """The password in a URL, so that it can be kept out of messages."""
    return make_url(url).password
