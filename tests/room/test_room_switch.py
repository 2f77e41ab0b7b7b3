"""An operator can switch the room off (ROOM_ENABLED=false): nothing is recorded and every room address says so."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from main import create_app
from settings import Settings, load_settings
from tests.conftest import builtin_settings
from tests.room.conftest import (
    ADMIN, ALICE, call_api, navigate, password_token, recorded_events, session_of, sign_in,
)


@pytest.fixture
def switched_off(tmp_path) -> FastAPI:
    """A site whose operator set ROOM_ENABLED=false."""
    return create_app(builtin_settings(tmp_path, room_enabled=False))


def test_a_switched_off_room_records_nothing(switched_off: FastAPI) -> None:
    attendee = TestClient(switched_off, follow_redirects=False)
    assert navigate(attendee, "/tutorials/protect-an-api").status_code == 200
    token = password_token(attendee, *ALICE).json()["data"]
    assert call_api(attendee, "/api/secure", token) == 200
    assert call_api(attendee, "/api/admin", token) == 403
    assert password_token(attendee, "alice@example.com", "wrong").status_code == 401
    assert sign_in(attendee, *ALICE).status_code == 303
    assert recorded_events(switched_off) == 0
    assert "room" not in session_of(attendee)  # no visitor id either
    assert session_of(attendee)["progress"]  # the attendee's own progress strip still works


def test_every_room_address_answers_404_saying_the_room_is_off(switched_off: FastAPI) -> None:
    with TestClient(switched_off, follow_redirects=False) as instructor:
        assert sign_in(instructor, *ADMIN).status_code == 303
        page = navigate(instructor, "/room")
        assert page.status_code == 404 and "The room is switched off" in page.text and "ROOM_ENABLED" in page.text
        feed = instructor.get("/room/feed")
        assert feed.status_code == 404 and "ROOM_ENABLED=false" in feed.json()["detail"]
        reset = instructor.post("/room/workshops", data={"csrf": "anything"})
        assert reset.status_code == 404 and "The room is switched off" in reset.text
    assert recorded_events(switched_off) == 0


def test_the_room_is_on_unless_the_operator_says_off(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert builtin_settings(tmp_path).room_enabled is True
    for value, expected in (("", True), ("true", True), ("false", False), ("0", False), ("off", False)):
        monkeypatch.setenv("ROOM_ENABLED", value)
        assert Settings(_env_file=None, data_dir=tmp_path).room_enabled is expected, value
    monkeypatch.setenv("ROOM_ENABLED", "perhaps")
    with pytest.raises(SystemExit, match="^Invalid setting ROOM_ENABLED: "):
        load_settings(_env_file=None, data_dir=tmp_path)
