"""The tenant's logs are bounded (age and count), hold no secret, and never fail or hold up the request they record."""

import logging
import re
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from storage import database_url_for, open_database
from tenant.directory import DEMO_USERS
from tenant.logs.journal import MAX_TEXT, Journal, Origin
from tenant.store.logs import LogQuery, LogStore
from tenant.store.tables import log_events, metadata
from tests.tenant.conftest import (
    API, M2M, WEB_APP, WEB_CALLBACK, code_params, password_grant, query_of, sign_in, submit_activation,
)
from tests.tenant.test_logs import logged

ORIGIN = Origin("203.0.113.7", "pytest", "browser-of-the-test-123")


@pytest.fixture
def log_store(tmp_path: Path, database_url: str | None):
    """A LogStore on SQLite, then on PostgreSQL, keeping 5 rows for at most an hour."""
    database = open_database(database_url_for(database_url, tmp_path))
    database.bootstrap("tenant", metadata, 3)
    yield LogStore(database, retention=3600, max_rows=5)
    database.dispose()


def journal_on(store: LogStore) -> Journal:
    """A journal writing to `store`, with the demo tenant's clients."""
    from tenant.config import TenantConfig
    from tenant.directory import build_directory

    return Journal(store, build_directory(TenantConfig.for_site("http://testserver/", "http://testserver")))


def test_rows_past_the_cap_are_dropped_oldest_first(log_store):
    journal = journal_on(log_store)
    for number in range(8):
        journal.record("fp", ORIGIN, user_name=f"user{number}@example.com")
    journal.flush()
    kept = log_store.events(LogQuery(everything=True), 100)
    assert [event["user_name"] for event in kept] == [f"user{number}@example.com" for number in (7, 6, 5, 4, 3)]


def test_rows_older_than_the_retention_are_purged(log_store):
    journal = journal_on(log_store)
    journal.record("s", ORIGIN, client_id="web-app")
    journal.flush()
    log_store.purge(time.time() + 3599)
    assert len(log_store.events(LogQuery(everything=True), 100)) == 1
    log_store.purge(time.time() + 3601)
    assert log_store.events(LogQuery(everything=True), 100) == []


def test_long_values_are_cut_to_their_columns(log_store):
    journal = journal_on(log_store)
    journal.record("f", Origin("203.0.113.7", "A" * 5000), description="x" * 5000,
                   details={"error": {"message": "y" * 5000}, "nested": list(range(100))})
    journal.flush()
    [event] = log_store.events(LogQuery(everything=True), 1)
    assert len(event["user_agent"]) == MAX_TEXT["user_agent"] and len(event["description"]) == 512
    assert len(event["details"]["error"]["message"]) == 512 and len(event["details"]["nested"]) == 16


def test_a_database_that_fails_neither_raises_nor_loses_the_events(log_store, monkeypatch, caplog):
    journal = journal_on(log_store)
    real_insert = log_store.insert

    def refuse(rows):
        raise OSError("database away")

    monkeypatch.setattr(log_store, "insert", refuse)
    journal.record("s", ORIGIN, client_id="web-app")
    with caplog.at_level(logging.WARNING, logger="tenant"):
        assert journal.flush() is False
    assert "1 waiting" in caplog.text
    monkeypatch.setattr(log_store, "insert", real_insert)
    assert journal.flush() is True
    journal.close()
    assert len(log_store.events(LogQuery(everything=True), 10)) == 1


def test_events_waiting_for_the_database_are_bounded(log_store, monkeypatch):
    journal = Journal(log_store, journal_on(log_store).directory, max_pending=3)
    monkeypatch.setattr(log_store, "insert", lambda rows: (_ for _ in ()).throw(OSError("away")))
    for number in range(10):
        journal.record("fu", ORIGIN, user_name=f"u{number}@example.com")
    journal.close()
    assert len(journal._pending) == 3


def test_an_event_that_cannot_be_built_is_dropped_not_raised(log_store, caplog):
    journal = journal_on(log_store)
    with caplog.at_level(logging.ERROR, logger="tenant"):
        journal.record("s", ORIGIN, details={"error": object()}, session_id=12)  # a wrong type, not a crash
    journal.flush()


def test_the_writer_thread_writes_without_a_reader_and_then_stops(log_store, monkeypatch):
    monkeypatch.setattr("tenant.logs.journal.IDLE_EXIT", 0.1)
    journal = journal_on(log_store)
    journal.record("s", ORIGIN, client_id="web-app")
    deadline = time.monotonic() + 10
    while journal._writer is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert journal._writer is None
    assert len(log_store.events(LogQuery(everything=True), 10)) == 1
    journal.record("s", ORIGIN, client_id="web-app")  # a new event starts it again
    assert journal._writer is not None
    journal.close()


def every_stored_value(client) -> str:
    """Every column of every stored log row, hidden ones included, as one text."""
    journal = client.app.state.builtin_tenant.tenant.logs
    journal.flush()
    with journal.store.database.transaction() as db:
        return "\n".join(str(tuple(row)) for row in db.execute(select(log_events)))


def test_no_secret_of_any_flow_is_stored(tenant, caplog):
    caplog.set_level(logging.WARNING, logger="tenant")
    secrets = {demo.password for demo in DEMO_USERS} | {WEB_APP["client_secret"], M2M["client_secret"]}
    for demo in DEMO_USERS:
        password_grant(tenant, demo.email.split("@")[0])
        password_grant(tenant, demo.email.split("@")[0], password=f"{demo.password}-wrong")
        secrets.add(f"{demo.password}-wrong")
    tokens = password_grant(tenant, scope="openid offline_access").json()
    secrets |= {tokens["access_token"], tokens["id_token"], tokens["refresh_token"]}
    refreshed = tenant.post("/oauth/token", data={"grant_type": "refresh_token",
                                                  "refresh_token": tokens["refresh_token"], **WEB_APP}).json()
    secrets |= {refreshed["access_token"], refreshed["refresh_token"]}
    tenant.post("/oauth/token", data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
                                      **WEB_APP})
    location = sign_in(tenant, code_params(client_id="web-app", redirect_uri=WEB_CALLBACK), "bob@example.com",
                       "bob-demo-1")
    code = query_of(location)["code"]
    secrets.add(code)
    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": WEB_CALLBACK, **WEB_APP}
    secrets.add(tenant.post("/oauth/token", data=exchange).json()["access_token"])
    tenant.post("/oauth/token", data=exchange)
    secrets.add(tenant.post("/oauth/token", data={"grant_type": "client_credentials", "audience": API,
                                                  **M2M}).json()["access_token"])
    tenant.post("/oauth/token", data={"grant_type": "client_credentials", "audience": API, "client_id": "m2m",
                                      "client_secret": "m2m-secret-guess"})
    secrets.add("m2m-secret-guess")
    device = tenant.post("/oauth/device/code", data={"client_id": "cli", "audience": API}).json()
    secrets |= {device["device_code"], device["user_code"]}
    submit_activation(tenant, device["user_code"], "cancel")
    tenant.post("/oauth/token", data={"grant_type": "urn:ietf:params:oauth:grant-type:device_code",
                                      "device_code": device["device_code"], "client_id": "cli"})
    tenant.post("/dbconnections/signup", json={"client_id": "web-app", "email": "fay@example.com",
                                               "password": "Fay-secret-9", "connection": "Username-Password-Authentication"})
    secrets.add("Fay-secret-9")
    tenant.post("/dbconnections/change_password", json={"client_id": "web-app", "email": "fay@example.com",
                                                        "connection": "Username-Password-Authentication"})
    ticket = re.search(r"lo/reset\?ticket=(\S+)", caplog.text).group(1)
    tenant.post("/lo/reset", data={"ticket": ticket, "password": "Fay-new-secret-9"})
    secrets |= {ticket, "Fay-new-secret-9"}
    for cookie in tenant.cookies.jar:
        secrets.add(cookie.value)  # session cookies and the browser id (kept only as a digest)
    stored = every_stored_value(tenant)
    assert len(logged(tenant)) >= 15
    leaked = sorted(secret for secret in secrets if secret in stored)
    assert leaked == []


def test_events_are_dropped_after_a_long_outage(log_store, monkeypatch, caplog):
    journal = journal_on(log_store)
    monkeypatch.setattr(log_store, "insert", lambda rows: (_ for _ in ()).throw(OSError("away")))
    journal.record("s", ORIGIN)
    with caplog.at_level(logging.WARNING, logger="tenant"):
        assert journal.flush() is False
        journal._failing_since -= 601
        journal.flush()
    journal.close()
    assert "dropped" in caplog.text and len(journal._pending) == 0
