"""A signed-in visitor while the database is away: pages that need no database work, the rest is a 503, never a 500."""

import subprocess
from collections.abc import Callable

import httpx

from middleware.sessions import SESSION_COOKIE
from storage.urls import SQLITE_FILE
from tests.conftest import free_port, start_server, stop_server
from tests.login.tenant_form import log_in

PAGE = {"Accept": "text/html"}
NO_DATABASE_NEEDED = ("/", "/tutorials", "/tutorials/read-your-token", "/docs", "/api/public")


def signed_in(base: str) -> httpx.Client:
    """A browser signed in as Alice through the built-in tenant."""
    browser = httpx.Client(base_url=base, timeout=30)
    assert log_in(browser, "alice@example.com", "alice-demo-1").url.path == "/profile"
    return browser


def while_away(browser: httpx.Client, database_away: Callable[[], None]) -> dict[str, httpx.Response]:
    """What the signed-in browser gets once `database_away` has run: pages, its profile, then its logout."""
    database_away()
    answers = {path: browser.get(path, headers=PAGE) for path in NO_DATABASE_NEEDED}
    answers["profile page"] = browser.get("/profile", headers=PAGE)
    answers["profile json"] = browser.get("/profile", headers={"Accept": "application/json"})
    answers["logout"] = browser.get("/auth/logout", headers=PAGE, follow_redirects=False)
    answers["profile after logout"] = browser.get("/profile", headers=PAGE, follow_redirects=False)
    return answers


def assert_signed_out(answers: dict[str, httpx.Response]) -> None:
    """The logout went ahead: this browser's cookie no longer signs it in."""
    assert answers["logout"].status_code == 303
    after = answers["profile after logout"]
    assert after.status_code == 303 and "/auth/login" in after.headers["location"]


def assert_one_answer(answers: dict[str, httpx.Response]) -> None:
    """Pages served; the sign-in's own page a 503 with Retry-After; logout signs the browser out."""
    for path in NO_DATABASE_NEEDED:
        assert answers[path].status_code == 200, (path, answers[path].status_code)
    page, json = answers["profile page"], answers["profile json"]
    assert page.status_code == 503 and page.headers["retry-after"] == "5"
    assert "Briefly unavailable" in page.text and "text/html" in page.headers["content-type"]
    assert json.status_code == 503 and json.headers["retry-after"] == "5"
    assert json.json()["error"] == "Service Unavailable"
    assert_signed_out(answers)


def test_postgresql_stopped_keeps_pages_for_a_signed_in_visitor_and_logout_holds(tmp_path, postgres):
    schema, url = postgres.new_schema()
    port = free_port()
    server = start_server(tmp_path, port, extra_env={"DATABASE_URL": url}, capture_log=True)
    try:
        browser = signed_in(f"http://127.0.0.1:{port}")
        kept = browser.cookies[SESSION_COOKIE]
        try:
            answers = while_away(browser, postgres.stop)
            token = browser.post("/auth/token", json={"email": "alice@example.com", "password": "alice-demo-1"})
        finally:
            postgres.start()
        copy = httpx.get(f"http://127.0.0.1:{port}/profile", cookies={SESSION_COOKIE: kept}, timeout=30)
    finally:
        stop_server(server)
        postgres.drop_schema(schema)
    assert_one_answer(answers)
    assert token.status_code == 503 and token.headers["retry-after"] == "5"
    # The logout the database could not take still ends that sign-in: a copy of the cookie signs nobody in.
    assert copy.status_code == 303 and "/auth/login" in copy.headers["location"]
    assert "Traceback" not in server.stderr.read()


def test_sqlite_file_made_unwritable_keeps_pages_for_a_signed_in_visitor_and_logout_holds(tmp_path):
    port = free_port()
    server = start_server(tmp_path, port, capture_log=True)
    files = [str(tmp_path / name) for name in (SQLITE_FILE, f"{SQLITE_FILE}-wal")]
    try:
        browser = signed_in(f"http://127.0.0.1:{port}")
        kept = browser.cookies[SESSION_COOKIE]
        # Immutable: not even root, nor a descriptor the server already holds, may write to the database now.
        answers = while_away(browser, lambda: subprocess.run(["chattr", "+i", *files], check=True))
        copy = httpx.get(f"http://127.0.0.1:{port}/profile", cookies={SESSION_COOKIE: kept}, timeout=30)
    finally:
        subprocess.run(["chattr", "-i", *files], check=False)
        stop_server(server)
    for path in NO_DATABASE_NEEDED:
        assert answers[path].status_code == 200, (path, answers[path].status_code)
    # The file can still be read, so the profile is shown; the logout is what must not fail.
    assert answers["profile page"].status_code == 200
    assert_signed_out(answers)
    assert copy.status_code == 303 and "/auth/login" in copy.headers["location"]
    assert "Traceback" not in server.stderr.read()
