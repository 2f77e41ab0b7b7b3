"""A database that is wrong, away or full: one line at start-up, 503s while serving, and recovery on its own."""

import resource
import time

import httpx
import pytest

from tests.conftest import free_port, start_server, stop_server
from tests.deploy.platform import run_web_command, start_up_error_lines
from tests.tenant.conftest import API, code_params

WRONG_PASSWORD = {"grant_type": "password", "client_id": "web-app", "client_secret": "web-app-secret",
                  "audience": API, "username": "bob@example.com", "password": "not-bobs"}
ALICE = {**WRONG_PASSWORD, "username": "alice@example.com", "password": "alice-demo-1"}
PAGE = {"Accept": "text/html"}


def authorize_page(base: str) -> httpx.Response:
    """A browser starting a login at the tenant (which keeps the pending login in the database)."""
    params = code_params(redirect_uri=f"{base}/docs/oauth2-redirect")
    return httpx.get(f"{base}/authorize", params=params, headers=PAGE, timeout=20)


@pytest.mark.parametrize("url, reason", [
    ("mysql://app:hunter2-secret@db.example.com/app", "must be a PostgreSQL URL"),
    ("postgres://app:hunter2-secret@127.0.0.1:{port}/app", "cannot use the database"),
    ("postgres://app:hunter2-secret@/app", "names no host"),
])
def test_a_wrong_or_unreachable_database_url_stops_start_up_with_one_line(tmp_path, url, reason):
    lines = start_up_error_lines(run_web_command(tmp_path, free_port(), DATABASE_URL=url.format(port=free_port())))
    assert len(lines) == 1, lines
    assert lines[0].startswith("Invalid setting DATABASE_URL:") and reason in lines[0]
    assert "hunter2" not in lines[0]


def test_a_database_going_away_gives_503s_and_the_site_recovers_by_itself(tmp_path, postgres):
    schema, url = postgres.new_schema()
    port = free_port()
    server = start_server(tmp_path, port, extra_env={"DATABASE_URL": url}, capture_log=True)
    base = f"http://127.0.0.1:{port}"
    try:
        assert httpx.post(f"{base}/oauth/token", data=ALICE).status_code == 200
        postgres.stop()
        try:
            token = httpx.post(f"{base}/oauth/token", data=ALICE, timeout=20)
            login_page = authorize_page(base)
            site_token = httpx.post(f"{base}/auth/token", json={"email": "alice@example.com",
                                                                 "password": "alice-demo-1"}, timeout=20)
        finally:
            postgres.start()
        deadline, recovered = time.monotonic() + 30, 0
        while recovered != 200 and time.monotonic() < deadline:
            recovered = httpx.post(f"{base}/oauth/token", data=ALICE, timeout=20).status_code
    finally:
        stop_server(server)
        postgres.drop_schema(schema)
    assert token.status_code == 503 and token.json()["error"] == "temporarily_unavailable"
    assert token.headers["retry-after"] == "5"
    assert login_page.status_code == 503 and "briefly unavailable" in login_page.text
    assert site_token.status_code == 503 and site_token.json()["error"] == "Service Unavailable"
    assert recovered == 200
    assert "Traceback" not in server.stderr.read()


def test_a_full_disk_gives_503s_not_tracebacks(tmp_path):
    port = free_port()
    server = start_server(tmp_path, port, capture_log=True)
    base = f"http://127.0.0.1:{port}"
    try:
        assert httpx.post(f"{base}/oauth/token", data=ALICE).status_code == 200
        # The operating system now refuses to grow any file the server writes: the disk is full for it.
        resource.prlimit(server.pid, resource.RLIMIT_FSIZE, (0, 0))
        signup = httpx.post(f"{base}/auth/signup", json={"email": "full@example.com", "password": "Full-disk-1"})
        wrong = httpx.post(f"{base}/oauth/token", data=WRONG_PASSWORD)
        login_page = authorize_page(base)
        keys = httpx.get(f"{base}/.well-known/jwks.json")
    finally:
        stop_server(server)
    assert signup.status_code == 503
    assert wrong.status_code == 503 and wrong.json()["error"] == "temporarily_unavailable"
    assert login_page.status_code == 503 and "briefly unavailable" in login_page.text
    assert keys.status_code == 200
    assert "Traceback" not in server.stderr.read()


def test_a_full_disk_at_first_start_stops_with_one_line(tmp_path):
    lines = start_up_error_lines(run_web_command(tmp_path, free_port(), shell_setup="ulimit -f 0; "))
    assert len(lines) == 1, lines
    assert lines[0].startswith("Invalid setting DATA_DIR: cannot use the database ")
    assert "tenant.sqlite3" in lines[0]
