"""The room holds events a moment and writes them in batches: none is lost at shutdown, and memory stays bounded."""

import time

import pytest
from fastapi.testclient import TestClient

from main import create_app
from room import recording
from room.recording import Observed
from room.store import SEEN, Event
from tests.conftest import builtin_settings
from tests.room.conftest import ALICE, call_api, eventually, navigate, password_token, recorded_events


def test_held_events_reach_the_store_by_themselves_within_seconds(tmp_path) -> None:
    app = create_app(builtin_settings(tmp_path))
    with TestClient(app, follow_redirects=False) as attendee:
        navigate(attendee, "/tutorials/protect-an-api")
        token = password_token(attendee, *ALICE).json()["data"]
        assert call_api(attendee, "/api/admin", token) == 403
        # Nobody opens the room: the writer of this process writes the batch on its own.
        assert eventually(lambda: recorded_events(app) >= 3, timeout=10)


def test_held_events_are_written_when_the_server_shuts_down(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recording, "WRITE_EVERY_SECONDS", 60.0)  # the batch would wait a minute
    app = create_app(builtin_settings(tmp_path))
    with TestClient(app, follow_redirects=False) as attendee:
        navigate(attendee, "/tutorials/protect-an-api")
        token = password_token(attendee, *ALICE).json()["data"]
        assert call_api(attendee, "/api/admin", token) == 403
        assert recorded_events(app) == 0  # held in memory, not yet written
    assert recorded_events(app) >= 3  # seen, the token milestone and the 403, written as the server stopped


def test_held_events_are_bounded_when_the_store_cannot_keep_up(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recording, "MAX_HELD_EVENTS", 5)
    app = create_app(builtin_settings(tmp_path))
    recorder = app.state.room.recorder
    now = time.time()
    for number in range(4):
        recorder.hold(Observed([Event(now, f"{number:032x}", SEEN), Event(now, f"{number:032x}", SEEN)], None))
    recorder.write()
    assert recorded_events(app) == 5
