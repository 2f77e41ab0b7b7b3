"""Command line for the built-in tenant: `python -m tenant rotate-key [--data-dir DIR]`."""

import argparse
import os
from pathlib import Path

from tenant.keys import KeyRing
from tenant.services import DATABASE_NAME
from tenant.store import Store


def main() -> None:
    """Run the command given on the command line."""
    parser = argparse.ArgumentParser(prog="python -m tenant", description="Manage the built-in tenant.")
    commands = parser.add_subparsers(dest="command", required=True)
    rotate = commands.add_parser("rotate-key", help="sign new tokens with a new key; keep the old one published")
    rotate.add_argument("--data-dir", type=Path, default=Path(os.environ.get("DATA_DIR", ".data")),
                        help="the tenant's data folder (default: $DATA_DIR or .data)")
    arguments = parser.parse_args()
    database = arguments.data_dir / DATABASE_NAME
    if not database.exists():
        parser.error(f"no tenant database at {database}; start the site once first")
    kid = KeyRing(Store(database)).rotate()
    print(f"New signing key {kid}; running servers sign with it within seconds. Old keys stay in the JWKS for 24 h.")


if __name__ == "__main__":
    main()
