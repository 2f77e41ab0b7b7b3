"""Listing the tenant's logs as Auth0's Management API does: search, order, pages and totals, checkpoints."""

import pytest

from tenant.logs.journal import Journal
from tenant.logs.listing import InvalidListing, list_logs, read_listing
from tenant.logs.search import InvalidQuery, parse_query
from tenant.store.logs import LogQuery, LogStore
from tests.tenant.test_log_storage import ORIGIN, journal_on, log_store  # noqa: F401 (fixture)

EVERYTHING = LogQuery(everything=True)


@pytest.fixture
def filled(log_store: LogStore) -> LogStore:  # noqa: F811
    """Six events: fp, fu, s for three emails, oldest first, in a store that keeps them all."""
    store = LogStore(log_store.database, retention=3600, max_rows=100)
    journal: Journal = journal_on(store)
    for number, event_type in enumerate(("fp", "fu", "s", "fp", "fu", "s")):
        journal.record(event_type, ORIGIN, client_id="web-app", user_name=f"user{number % 3}@example.com")
    journal.flush()
    return store


def test_queries_name_fields_with_one_value_or_a_group():
    assert parse_query('type:fp AND user_name:"alice@example.com"') == {
        "type": frozenset({"fp"}), "user_name": frozenset({"alice@example.com"})}
    assert parse_query("type:(fp OR fu OR \"limit_wc\")") == {"type": frozenset({"fp", "fu", "limit_wc"})}
    assert parse_query("") == {}


@pytest.mark.parametrize("q", ["type:", "password:x", "fp", "type:(fp OR", 'user_name:"open', "type:fp OR type:fu",
                               "x" * 2000])
def test_a_query_it_cannot_read_is_refused(q):
    with pytest.raises(InvalidQuery):
        parse_query(q)


def test_search_filters_and_pages_newest_first(filled):
    listing = read_listing({"q": "type:(fp OR fu)", "per_page": "3"})
    assert [event["type"] for event in list_logs(filled, EVERYTHING, listing)] == ["fu", "fp", "fu"]
    second = read_listing({"q": "type:(fp OR fu)", "per_page": "3", "page": "1", "include_totals": "true"})
    page = list_logs(filled, EVERYTHING, second)
    assert {key: page[key] for key in ("start", "limit", "length", "total")} == {
        "start": 3, "limit": 3, "length": 1, "total": 4}
    assert [event["type"] for event in page["logs"]] == ["fp"]


def test_oldest_first_and_chosen_fields(filled):
    listing = read_listing({"sort": "date:1", "fields": "type,user_name", "per_page": "2"})
    assert list_logs(filled, EVERYTHING, listing) == [
        {"type": "fp", "user_name": "user0@example.com"}, {"type": "fu", "user_name": "user1@example.com"}]
    without = read_listing({"fields": "details,ip,user_agent,log_id,date,client_id,client_name,connection,user_name",
                            "include_fields": "false", "per_page": "1"})
    assert list_logs(filled, EVERYTHING, without) == [{"type": "s"}]


def test_a_checkpoint_gives_the_events_after_it_oldest_first(filled):
    oldest_two = list_logs(filled, EVERYTHING, read_listing({"sort": "date:1", "per_page": "2"}))
    after = list_logs(filled, EVERYTHING, read_listing({"from": oldest_two[-1]["log_id"], "take": "2"}))
    assert [event["type"] for event in after] == ["s", "fp"]


def test_the_reach_limits_what_any_search_finds(filled):
    reach = LogQuery(whole_users=frozenset(), clients=frozenset({"someone-else"}))
    assert list_logs(filled, reach, read_listing({})) == []


@pytest.mark.parametrize("params", [{"per_page": "101"}, {"per_page": "0"}, {"page": "20", "per_page": "50"},
                                    {"page": "-1"}, {"take": "500"}, {"sort": "ip:1"}, {"include_totals": "yes"},
                                    {"q": "secret:x"}])
def test_parameters_it_cannot_read_are_refused(params):
    with pytest.raises(InvalidListing):
        read_listing(params)
