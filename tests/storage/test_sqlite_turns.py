"""SQLite transactions of one process take turns: one that reads before it writes never fails as "locked"."""

import threading
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, select, update
from sqlalchemy.exc import OperationalError

from storage.database import Database, TakeTurns

COUNTERS = MetaData()
counter = Table("counter", COUNTERS, Column("id", Integer, primary_key=True), Column("value", Integer))


def test_concurrent_read_then_write_transactions_all_succeed_and_lose_no_update(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'turns.db'}")
    COUNTERS.create_all(database.engine)
    with database.transaction() as connection:
        connection.execute(counter.insert().values(id=1, value=0))
    failures: list[Exception] = []

    def add_one_fifty_times() -> None:
        for _ in range(50):
            try:
                with database.transaction() as connection:
                    value = connection.scalar(select(counter.c.value).where(counter.c.id == 1))
                    connection.execute(update(counter).where(counter.c.id == 1).values(value=value + 1))
            except OperationalError as error:
                failures.append(error)

    threads = [threading.Thread(target=add_one_fifty_times) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with database.transaction() as connection:
        assert connection.scalar(select(counter.c.value)) == 16 * 50


def test_a_turn_not_given_in_time_is_an_unavailable_database() -> None:
    turns = TakeTurns(timeout=0.05)
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with turns:
            held.set()
            release.wait()

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    try:
        with pytest.raises(OperationalError, match="database is locked"):
            with turns:
                pass
    finally:
        release.set()
        holder.join()
    with turns, turns:  # the same thread may nest its transactions
        pass
