"""The Actions engine under hostile Actions: runs in child processes that may loop, crash or leave timers behind."""

import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tenant.actions.engine import (
    CRASH_DESCRIPTION,
    TIMEOUT_DESCRIPTION,
    ActionDenied,
    ActionEngine,
    CustomClaims,
)

SCENARIOS = (Path(__file__).parent / "actions" / "scenarios.js").read_text(encoding="utf-8")
EVENT_CLAIM = "https://tests.example/event"
TIME_LIMIT = 0.5
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def event_for(scenario: str) -> dict:
    """A post-login event whose requested scopes pick a scenario of the test Action."""
    return {
        "user": {"user_id": "auth0|alice", "email": "alice@example.com", "email_verified": True,
                 "name": "Alice Example", "app_metadata": {}},
        "client": {"client_id": "web-app", "name": "Web app"},
        "request": {"ip": "127.0.0.1", "user_agent": "tests"},
        "transaction": {"protocol": "oauth2-resource-owner", "requested_scopes": [f"scenario:{scenario}"]},
        "authorization": {"roles": []},
        "resource_server": {"identifier": "https://playground/api"},
    }


def outcome(engine: ActionEngine, scenario: str) -> CustomClaims | str:
    """The claims of one run, or the description of the denial."""
    try:
        return engine.run(event_for(scenario)).claims
    except ActionDenied as denied:
        return denied.description


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@pytest.fixture
def engine() -> Iterator[ActionEngine]:
    """An engine running the test Action with a short time limit."""
    started = ActionEngine((SCENARIOS,), time_limit=TIME_LIMIT)
    yield started
    started.close()


def test_looping_actions_beside_concurrent_logins_fail_only_their_own_many_times_over(engine) -> None:
    scenarios = ["loop", "tojson-loop", "throw", "async-loop", "claims", "claims", "claims", "claims"]
    with ThreadPoolExecutor(len(scenarios)) as logins:
        for _ in range(6):
            results = list(logins.map(lambda name: (name, outcome(engine, name)), scenarios))
            for name, result in results:
                if name == "claims":
                    assert isinstance(result, CustomClaims), result
                    assert result.access[EVENT_CLAIM]["email"] == "alice@example.com"
                elif name == "throw":
                    assert result == "Cannot read properties of undefined (reading 'favorite_color')"
                else:
                    assert result == TIMEOUT_DESCRIPTION, (name, result)
    assert isinstance(outcome(engine, "claims"), CustomClaims)


def test_a_sandbox_process_that_dies_fails_only_the_login_it_was_running(engine) -> None:
    assert isinstance(outcome(engine, "claims"), CustomClaims)
    (pid,) = engine.process_ids()
    killer = threading.Timer(0.1, os.kill, (pid, signal.SIGSEGV))
    killer.start()
    assert outcome(engine, "loop") == CRASH_DESCRIPTION
    killer.join()
    deadline = time.monotonic() + 30
    while not engine.process_ids() and time.monotonic() < deadline:  # a replacement starts before any login asks
        time.sleep(0.05)
    (spare,) = engine.process_ids()
    assert spare != pid
    assert isinstance(outcome(engine, "claims"), CustomClaims)


def test_a_sandbox_process_killed_while_idle_is_replaced_before_the_next_login(engine) -> None:
    assert isinstance(outcome(engine, "claims"), CustomClaims)
    (pid,) = engine.process_ids()
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.1)
    assert isinstance(outcome(engine, "claims"), CustomClaims)


def test_timers_an_action_leaves_behind_end_with_its_run(engine) -> None:
    assert isinstance(outcome(engine, "timer-storm"), CustomClaims)
    (pid,) = engine.process_ids()
    before = cpu_seconds(pid)
    time.sleep(1.0)
    assert cpu_seconds(pid) - before < 0.2
    assert isinstance(outcome(engine, "claims"), CustomClaims)


def test_set_timeout_with_no_delay_runs_its_callback(engine) -> None:
    result = outcome(engine, "timeout-zero")
    assert isinstance(result, CustomClaims), result
    assert result.access["https://tests.example/timers"] == ["timer"]


def test_an_action_cannot_start_a_second_run_or_replace_the_result(engine) -> None:
    result = outcome(engine, "forge")
    assert isinstance(result, CustomClaims), result
    assert result.access == {"https://tests.example/forge": ["An Action cannot start another run", "TypeError"]}


@pytest.mark.parametrize(("scenario", "description"), [
    ("deep", "The claim https://tests.example/deep is nested deeper than 32 levels"),
    ("huge", "Custom claims payload exceeds the 100KB limit"),
])
def test_claims_too_deep_or_too_large_fail_the_login_with_a_reason(engine, scenario: str, description: str) -> None:
    assert outcome(engine, scenario) == description


def test_closing_the_engine_stops_its_processes_and_a_later_run_starts_new_ones(engine) -> None:
    assert isinstance(outcome(engine, "claims"), CustomClaims)
    (pid,) = engine.process_ids()
    engine.close()
    assert engine.process_ids() == []
    assert not Path(f"/proc/{pid}").exists()
    assert isinstance(outcome(engine, "claims"), CustomClaims)
