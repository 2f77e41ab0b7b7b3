"""What one visitor can make the tenant store is bounded: known parameters only, capped pending logins, purges."""

import logging
import re
import time

import pytest
from sqlalchemy import func, insert, select, text

from storage import Database
from tenant.pages import authorize as pages
from tenant.store.store import FAILED_LOGIN_RETENTION, Store
from tenant.store.tables import failed_logins, grants, login_transactions, password_resets, refresh_tokens
from tests.tenant.conftest import code_params, query_of


def rows(client, table, *conditions) -> int:
    """How many rows `table` of the site's database holds."""
    with client.app.state.database.transaction() as db:
        return db.scalar(select(func.count()).select_from(table).where(*conditions))


def test_authorize_keeps_only_the_parameters_it_knows(tenant):
    response = tenant.get("/authorize", params=code_params(padding="x" * 60_000, extra="y"))
    assert response.status_code == 302
    with tenant.app.state.database.transaction() as db:
        stored = db.scalar(select(login_transactions.c.data))
    assert len(stored) < 2_000 and "padding" not in stored and "extra" not in stored
    assert "/u/login" in response.headers["location"]


@pytest.mark.parametrize("name, limit", [("state", 2048), ("redirect_uri", 2048), ("nonce", 512), ("scope", 1024)])
def test_over_long_authorize_parameters_are_refused(tenant, name, limit):
    response = tenant.get("/authorize", params=code_params(**{name: "a" * (limit + 1)}))
    assert response.status_code == 400
    assert f"Parameter &#39;{name}&#39; is too long (at most {limit} characters)" in response.text
    assert rows(tenant, login_transactions) == 0


def test_pending_logins_per_browser_are_capped_oldest_first(tenant):
    states = [query_of(tenant.get("/authorize", params=code_params()).headers["location"])["state"]
              for _ in range(pages.MAX_PENDING_PER_BROWSER + 2)]
    assert rows(tenant, login_transactions) == pages.MAX_PENDING_PER_BROWSER
    assert "has expired" in tenant.get("/u/login", params={"state": states[0]}).text
    assert 'name="username"' in tenant.get("/u/login", params={"state": states[-1]}).text


def test_pending_logins_per_address_are_capped(tenant, monkeypatch):
    monkeypatch.setattr(pages, "MAX_PENDING_PER_ADDRESS", 3)
    for _ in range(5):
        tenant.cookies.clear()  # a new browser each time, from the same address
        assert tenant.get("/authorize", params=code_params()).status_code == 302
    assert rows(tenant, login_transactions) == 3


def test_expired_rows_are_purged_while_running(tmp_path, database_url):
    from settings import Settings

    url = Settings(_env_file=None, data_dir=tmp_path, database_url=database_url).storage_url
    database = Database(url)
    store = Store(database, purge_interval=0)
    for kind in ("authorization_code", "session", "opaque_access_token"):
        store.put_grant(kind, f"old-{kind}", {}, lifetime=-1)
    store.put_reset_ticket("user-1", "old-ticket", lifetime=-1)
    store.put_grant("session", "live", {}, lifetime=60)
    store.put_login_transaction("old-login", {}, -1, "browser", "10.0.0.1", 10, 10)
    store.put_refresh_token("old-refresh", "family", {}, lifetime=-1)
    with database.transaction() as db:
        db.execute(insert(failed_logins).values(email="x@example.com", address="10.0.0.1", count=3,
                                                last_at=time.time() - FAILED_LOGIN_RETENTION - 1))
    store.record_failed_login("y@example.com", "10.0.0.2", window=900)  # any write purges what is due
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(grants)) == 1
        assert db.scalar(select(func.count()).select_from(login_transactions)) == 0
        assert db.scalar(select(func.count()).select_from(refresh_tokens)) == 0
        assert db.scalar(select(func.count()).select_from(password_resets)) == 0
        assert db.scalars(select(failed_logins.c.email)).all() == ["y@example.com"]
    assert store.get_grant("session", "live") == {}
    database.dispose()


def test_a_new_password_reset_replaces_the_previous_link(tenant, caplog):
    caplog.set_level(logging.WARNING, logger="tenant")
    for _ in range(3):
        assert tenant.post("/dbconnections/change_password", json={
            "client_id": "web-app", "email": "bob@example.com",
            "connection": "Username-Password-Authentication"}).status_code == 200
    first, *_, last = re.findall(r"/lo/reset\?ticket=\S+", caplog.text)
    assert rows(tenant, password_resets) == 1
    assert "This link has expired" in tenant.get(first).text
    assert tenant.get(last).status_code == 200 and 'name="password"' in tenant.get(last).text


def test_a_database_of_the_first_schema_is_upgraded_and_a_reset_revokes_only_that_users_credentials(
        tmp_path, database_url):
    from settings import Settings
    from storage.database import schema_versions

    database = Database(Settings(_env_file=None, data_dir=tmp_path, database_url=database_url).storage_url)
    Store(database)
    with database.transaction() as db:  # back to version 1, whose grants and refresh tokens name no user
        for table in (grants, refresh_tokens):
            db.execute(text(f"DROP INDEX ix_{table.name}_user_id"))
            db.execute(text(f"ALTER TABLE {table.name} DROP COLUMN user_id"))
        db.execute(schema_versions.update().where(schema_versions.c.component == "tenant").values(version=1))
    store = Store(database)
    for user in ("user-1", "user-2"):
        store.put_grant("session", f"session-{user}", {"user_id": user}, lifetime=60)
        store.put_refresh_token(f"refresh-{user}", f"family-{user}", {"user_id": user}, lifetime=60)
    store.revoke_user_credentials("user-1", ("session",))
    assert store.get_grant("session", "session-user-1") is None
    assert store.get_grant("session", "session-user-2") == {"user_id": "user-2"}
    assert store.peek_refresh_token("refresh-user-1") == ("unknown", None)
    assert store.peek_refresh_token("refresh-user-2") == ("ok", {"user_id": "user-2"})
