"""Command line for the built-in tenant: `python -m tenant rotate-key [--data-dir DIR]`."""

import argparse
from pathlib import Path

from settings import load_settings
from storage import open_database
from storage.urls import SQLITE_FILE
from tenant.store.keys import KeyRing
from tenant.store.store import Store


def main() -> None:
    """Run the command given on the command line."""
    parser = argparse.ArgumentParser(prog="python -m tenant", description="Manage the built-in tenant.")
    commands = parser.add_subparsers(dest="command", required=True)
    rotate = commands.add_parser("rotate-key", help="sign new tokens with a new key; keep the old one published")
    rotate.add_argument("--data-dir", type=Path,
                        help="the tenant's data folder when DATABASE_URL is unset (default: $DATA_DIR or .data)")
    arguments = parser.parse_args()
    settings = load_settings(**({"data_dir": arguments.data_dir} if arguments.data_dir else {}))
    if settings.database_url is None and not (settings.data_dir / SQLITE_FILE).exists():
        parser.error(f"no tenant database at {settings.data_dir / SQLITE_FILE}; start the site once first")
    database = open_database(settings.storage_url)
    with database.at_startup():
        kid = KeyRing(Store(database)).rotate()
    print(f"New signing key {kid}; running servers sign with it within seconds. Old keys stay in the JWKS for 24 h.")


if __name__ == "__main__":
    main()
