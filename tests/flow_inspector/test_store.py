"""The inspector's records in the site's database: per visitor, sealed with their key, bounded, expiring."""

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from flow_inspector.records import Flow, HttpCall
from flow_inspector.sealing import BODY_DROPPED, new_key
from flow_inspector.store import FlowStore, flows
from flow_inspector.visitors import Visitor
from main import create_app
from storage import Database
from storage.database import DatabaseUnavailable
from storage.urls import normalise_database_url, sqlite_url
from tests.conftest import builtin_settings
from tests.login.tenant_form import log_in

SAME_ORIGIN = {"sec-fetch-site": "same-origin"}
ALICE = {"email": "alice@example.com", "password": "alice-demo-1"}


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def database(tmp_path: Path, database_url: str | None) -> Iterator[Database]:
    """The site's database on SQLite, then on PostgreSQL."""
    opened = Database(normalise_database_url(database_url) if database_url else sqlite_url(tmp_path))
    yield opened
    opened.dispose()


def visitor(name: str) -> Visitor:
    """A visitor with a key of their own."""
    return Visitor(name, new_key())


def token_answer(flow: Flow, body: object) -> Flow:
    """The flow with one back-channel call that the tenant answered with `body`."""
    flow.back_channel.append(HttpCall("POST", "http://testserver/oauth/token", {}, {"grant_type": "password"}, 200,
                                      {}, body))
    return flow


def rows(database: Database) -> list[tuple[str, str, bytes]]:
    """Every stored record: id, visitor, sealed bytes."""
    with database.transaction() as connection:
        return [tuple(row) for row in connection.execute(select(flows.c.id, flows.c.visitor, flows.c.sealed))]


def test_a_visitor_reads_their_flows_and_nobody_else_does(database: Database) -> None:
    store = FlowStore(database)
    alice, bob = visitor("alice-id"), visitor("bob-id")
    kept = token_answer(store.new_flow("Password grant"), {"access_token": "eyJ.secret.token"})
    store.save(alice, kept)
    answers = [flow.back_channel[0].response_body for flow in store.recent(alice)]
    assert answers == [{"access_token": "eyJ.secret.token"}]
    assert store.recent(bob) == []
    # Alice's id with another key (a session that is not hers) opens nothing.
    assert store.recent(Visitor("alice-id", bob.key)) == []


def test_a_row_does_not_hold_the_token_in_clear(database: Database) -> None:
    store = FlowStore(database)
    token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"
    store.save(visitor("alice-id"), token_answer(store.new_flow("Password grant"), {"access_token": token}))
    (_, _, sealed), = rows(database)
    for clear in (token.encode(), b"eyJ", b"access_token", b"Password grant"):
        assert clear not in sealed


def test_records_vanish_after_the_retention(database: Database) -> None:
    clock = Clock()
    store = FlowStore(database, ttl=1800, clock=clock)
    alice = visitor("alice-id")
    store.save(alice, store.new_flow("Password grant"))
    clock.now += 1799
    assert len(store.recent(alice)) == 1 and store.purge() == 0
    clock.now += 2
    assert store.recent(alice) == []
    assert store.purge() == 1 and rows(database) == []


def test_a_visitor_keeps_only_their_newest_flows(database: Database) -> None:
    clock = Clock()
    store = FlowStore(database, per_visitor=2, clock=clock)
    alice = visitor("alice-id")
    made = []
    for _ in range(5):
        clock.now += 1
        made.append(store.new_flow("Password grant"))
        store.save(alice, made[-1])
    assert [flow.id for flow in store.recent(alice)] == [made[4].id, made[3].id]
    assert len(rows(database)) == 2


def test_the_table_keeps_at_most_max_rows_the_oldest_going_first(database: Database) -> None:
    clock = Clock()
    store = FlowStore(database, max_rows=3, clock=clock)
    visitors = [visitor(f"visitor-{number}") for number in range(5)]
    for each in visitors:
        clock.now += 1
        store.save(each, store.new_flow("Password grant"))
    assert sorted(row[1] for row in rows(database)) == ["visitor-2", "visitor-3", "visitor-4"]
    assert store.recent(visitors[0]) == [] and len(store.recent(visitors[4])) == 1


def test_a_record_over_the_size_bound_is_kept_without_the_answer(database: Database) -> None:
    store = FlowStore(database, max_record_bytes=4096)
    alice = visitor("alice-id")
    # Random-looking text, which compression cannot shrink below the bound.
    huge = secrets.token_hex(8000)
    store.save(alice, token_answer(store.new_flow("Password grant"), {"access_token": huge}))
    (_, _, sealed), = rows(database)
    assert len(sealed) <= 4096
    assert store.recent(alice)[0].back_channel[0].response_body == BODY_DROPPED


def test_records_follow_the_visitor_to_a_new_id(database: Database) -> None:
    store = FlowStore(database)
    before = visitor("before-login")
    flow = store.new_flow("Web login")
    store.save(before, flow)
    after = Visitor("after-login", before.key, previous="before-login")
    store.save(after, None)
    assert store.recent(before) == [] and [kept.id for kept in store.recent(after)] == [flow.id]


@pytest.fixture
def fresh_site(tmp_path: Path) -> Iterator[TestClient]:
    """A site of its own, so that its flow store starts empty."""
    with TestClient(create_app(builtin_settings(tmp_path))) as client:
        yield client


def test_a_login_and_a_token_are_sealed_in_the_sites_database(fresh_site: TestClient) -> None:
    log_in(fresh_site, "alice@example.com", "alice-demo-1")
    token = fresh_site.post("/auth/token", json=ALICE, headers=SAME_ORIGIN).json()["data"]
    page = fresh_site.get("/inspector", headers={"Accept": "text/html"}).text
    assert page.count('data-flow="') == 2 and token in page
    stored = rows(fresh_site.app.state.database)
    assert len(stored) == 2
    for _, _, sealed in stored:
        assert token.encode() not in sealed and b"eyJ" not in sealed and b"alice" not in sealed


def test_a_record_the_database_cannot_take_does_not_fail_the_login(fresh_site: TestClient, tmp_path: Path) -> None:
    # The inspector's store now points at a database that cannot be opened: every write of it fails.
    fresh_site.app.state.flows.database = Database(sqlite_url(tmp_path / "missing" / "folder"))
    profile = log_in(fresh_site, "alice@example.com", "alice-demo-1")
    token = fresh_site.post("/auth/token", json=ALICE, headers=SAME_ORIGIN)
    assert profile.status_code == 200 and profile.url.path == "/profile"
    assert token.status_code == 200 and token.json()["data"].startswith("eyJ")
    with pytest.raises(DatabaseUnavailable):
        fresh_site.app.state.flows.save(visitor("alice-id"), fresh_site.app.state.flows.new_flow("Password grant"))
    # Reading it is the site's usual answer while its database is away.
    assert fresh_site.get("/inspector", headers={"Accept": "text/html"}).status_code == 503


def test_the_record_count_stays_bounded_per_visitor_through_the_site(fresh_site: TestClient) -> None:
    for _ in range(6):
        assert fresh_site.post("/auth/token", json=ALICE, headers=SAME_ORIGIN).status_code == 200
    with fresh_site.app.state.database.transaction() as connection:
        assert connection.scalar(select(func.count()).select_from(flows)) == 4
    assert fresh_site.get("/inspector", headers={"Accept": "text/html"}).text.count('data-flow="') == 4
