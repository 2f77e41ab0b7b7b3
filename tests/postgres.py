"""A throwaway PostgreSQL cluster for the test session: initdb and pg_ctl from Debian's package, on a free port."""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg

from tests.local_server import HOST, free_port

INITDB_GLOB = "/usr/lib/postgresql/*/bin/initdb"
# PostgreSQL refuses to run as root: the cluster then runs as one of these users.
UNPRIVILEGED_USERS = ("postgres", "nobody")


def server_binaries() -> Path:
    """The folder with initdb and pg_ctl of the newest installed PostgreSQL."""
    found = sorted(glob.glob(INITDB_GLOB), key=lambda path: int(Path(path).parent.parent.name))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: run scripts/test.sh, or apt-get install postgresql")
    return Path(found[-1]).parent


def unprivileged_user() -> str | None:
    """The user to run the cluster as when the tests run as root, else None (run it as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in UNPRIVILEGED_USERS:
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root, and no unprivileged user to run PostgreSQL as")


class Cluster:
    """A PostgreSQL cluster in a temporary folder, trusting local connections, listening on 127.0.0.1:port."""

    def __init__(self) -> None:
        self.binaries = server_binaries()
        self.user = unprivileged_user()
        self.folder = Path(tempfile.mkdtemp(prefix="playground-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        if self.user:
            account = pwd.getpwnam(self.user)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()

    def run(self, program: str, *arguments: str) -> None:
        """Run one of the server's programs as the cluster's user."""
        command = [str(self.binaries / program), *arguments]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder)

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (f"-c listen_addresses={HOST} -c port={self.port} -c unix_socket_directories={self.folder} "
                   "-c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"), "-w", "start")

    def stop(self) -> None:
        """Stop the server at once, cutting every connection."""
        self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str = "postgres", schema: str | None = None) -> str:
        """A postgresql:// URL as a platform would set it; with `schema`, every table lands in that schema."""
        url = f"postgresql://postgres@{HOST}:{self.port}/{database}"
        return f"{url}?options=-csearch_path%3D{schema}" if schema else url

    def new_schema(self) -> tuple[str, str]:
        """A fresh, empty schema: its name and a DATABASE_URL that keeps every table in it."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        self.execute(f"CREATE SCHEMA {name}")
        return name, self.url(schema=name)

    def drop_schema(self, name: str) -> None:
        """Drop a schema made by new_schema, with everything in it."""
        self.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")

    def execute(self, statement: str) -> None:
        """Run one statement as the superuser."""
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(statement)

    def destroy(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
