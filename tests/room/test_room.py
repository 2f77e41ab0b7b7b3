"""The room counts what attendees do and what fails for them, shows it to instructors only, and names nobody."""

import re
import time
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from main import create_app
from room.catalogue import ANSWER_CODES, FAILURES, failure_code
from room.store import FAILURE, MILESTONE, Event, events
from tests.conftest import builtin_settings, claims_of
from tests.room.conftest import (
    ADMIN, ALICE, BOB, call_api, failure_counts, feed, milestone_counts, navigate, password_token,
    session_of, sign_in, visitor_id,
)


@pytest.fixture
def app(tmp_path, database_url: str | None) -> FastAPI:
    """A fresh site with an empty room behind the platform's proxy, on SQLite under DATA_DIR and on PostgreSQL."""
    return create_app(builtin_settings(tmp_path, database_url=database_url, trusted_proxy_hops=1))


def attendee(app: FastAPI, address: str = "198.51.100.7") -> TestClient:
    """A browser of its own, behind its own address."""
    return TestClient(app, follow_redirects=False, headers={"X-Forwarded-For": address})


@pytest.fixture
def instructor(app: FastAPI) -> Iterator[TestClient]:
    """admin@example.com, signed in on the site."""
    with TestClient(app, follow_redirects=False) as client:
        assert sign_in(client, *ADMIN).status_code == 303
        yield client


def test_milestones_and_failures_are_counted_per_attendee(app: FastAPI, instructor: TestClient) -> None:
    alice, bob, carol = attendee(app, "198.51.100.1"), attendee(app, "198.51.100.2"), attendee(app, "198.51.100.3")
    for client in (alice, bob, carol):
        navigate(client, "/tutorials/protect-an-api")
    alice_token = password_token(alice, *ALICE).json()["data"]
    bob_token = password_token(bob, *BOB).json()["data"]
    assert call_api(alice, "/api/scoped", alice_token) == 200
    assert call_api(alice, "/api/scoped", alice_token) == 200  # a second time is the same milestone
    assert call_api(bob, "/api/scoped", bob_token) == 403
    assert call_api(bob, "/api/scoped", bob_token, step="permissions-vs-scopes") == 403
    assert call_api(carol, "/api/secure", "not-a-token") == 401
    assert password_token(carol, "carol@example.com", "wrong").status_code == 401
    assert call_api(carol, "/api/secure", "a.b.c") == 401

    view = feed(instructor)
    assert (view["attendees"], view["active"]) == (3, 3)
    counts = milestone_counts(view)
    assert counts["password-token"] == 2 and counts["scoped"] == 1 and counts["secure"] == 0
    assert counts["signed-in"] == 0  # the instructor is not an attendee
    failures = failure_counts(view)
    assert failures[("api-scope", "protect-an-api")] == (1, 1)
    assert failures[("api-scope", "permissions-vs-scopes")] == (1, 1)
    assert failures[("api-format", "protect-an-api")] == (1, 1)  # carol's second bad token within a minute
    assert failures[("token-wrong_password", "signup-and-token")] == (1, 1)
    scope_failure = next(f for f in view["failures"] if f["kind"] == "api-scope" and f["step"] == "protect-an-api")
    assert scope_failure["advice"] == FAILURES["api-scope"].advice and scope_failure["step_number"] == 6


def test_web_login_failures_and_sign_ins_are_counted(app: FastAPI, instructor: TestClient) -> None:
    dana, erin = attendee(app), attendee(app)
    assert sign_in(dana, "alice@example.com", "not-her-password").status_code == 401
    assert sign_in(dana, *ALICE).status_code == 303
    navigate(dana, "/profile")
    assert navigate(erin, "/auth/callback?state=forged&error=access_denied").status_code == 400
    view = feed(instructor)
    assert milestone_counts(view)["signed-in"] == 1
    failures = failure_counts(view)
    assert failures[("tenant-wrong_password", "web-login-starlette")] == (1, 1)
    assert failures[("login-mismatching_state", "web-login-starlette")] == (1, 1)


def test_a_visitor_keeps_one_opaque_id_through_login_and_logout(app: FastAPI) -> None:
    visitor = attendee(app)
    navigate(visitor, "/")
    first = visitor_id(visitor)
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    sign_in(visitor, *ALICE)
    assert visitor_id(visitor) == first
    navigate(visitor, "/auth/logout")
    assert visitor_id(visitor) == first
    assert attendee(app).get("/", headers={"Sec-Fetch-Mode": "navigate"}).cookies  # every browser gets its own


def test_an_api_client_without_a_browser_is_not_an_attendee(app: FastAPI, instructor: TestClient) -> None:
    token = password_token(attendee(app), *ALICE).json()["data"]
    script = TestClient(app)
    assert script.get("/api/scoped", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert script.get("/api/admin", headers={"Authorization": f"Bearer {token}"}).status_code == 403
    assert "set-cookie" not in script.get("/api/public").headers
    view = feed(instructor)
    assert view["attendees"] == 1 and failure_counts(view) == {}


def test_a_loop_of_bad_requests_counts_once_a_minute(app: FastAPI, instructor: TestClient) -> None:
    script = attendee(app)
    for _ in range(20):
        assert call_api(script, "/api/secure", "not-a-token") == 401
    assert failure_counts(feed(instructor))[("api-format", "protect-an-api")] == (1, 1)


def test_one_address_brings_a_bounded_number_of_new_visitors(app: FastAPI, instructor: TestClient) -> None:
    app.state.room.recorder.newcomers.per_address = 3
    for _ in range(6):  # a script that drops its cookie each time
        assert call_api(attendee(app, "198.51.100.99"), "/api/secure", "not-a-token") == 401
    call_api(attendee(app, "198.51.100.100"), "/api/secure", "not-a-token")
    view = feed(instructor)
    assert view["attendees"] == 4
    assert failure_counts(view)[("api-format", "protect-an-api")] == (4, 4)


def test_nothing_identifying_reaches_the_room(app: FastAPI, instructor: TestClient) -> None:
    secrets_seen: set[str] = set()
    for number, (email, password) in enumerate((ALICE, BOB)):
        client = attendee(app, f"203.0.113.{number + 10}")
        sign_in(client, email, password)
        token = password_token(client, email, password).json()["data"]
        call_api(client, "/api/admin", token)
        password_token(client, email, "wrong-password")
        secrets_seen |= {email, password, token, claims_of(token)["sub"], visitor_id(client),
                         f"203.0.113.{number + 10}", "wrong-password"}
        secrets_seen.add(session_of(client)["user"]["name"])
    page = instructor.get("/room").text
    body = instructor.get("/room/feed").text
    assert "Wrong email or password" in page and milestone_counts(feed(instructor))["signed-in"] == 2
    for secret in secrets_seen:
        assert secret.lower() not in page.lower() and secret.lower() not in body.lower(), secret
    assert "admin@example.com" not in page


def test_the_page_shows_the_counts_and_refreshes_from_a_static_script(app: FastAPI, instructor: TestClient) -> None:
    client = attendee(app)
    token = password_token(client, *ALICE).json()["data"]
    call_api(client, "/api/claims", token, step="read-your-token")
    call_api(client, "/api/admin", token, step="permissions-vs-scopes")
    page = instructor.get("/room")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    html = page.text
    assert re.search(r'data-room-active>1<', html) and re.search(r'data-room-attendees>1<', html)
    claims_row = re.search(r'data-room-milestone="claims".*?</li>', html, re.S).group(0)
    assert 'value="1"' in claims_row and "Step 8" in claims_row
    keys = re.findall(r'data-room-milestone="([^"]+)"', html)
    assert keys == [key for key in milestone_counts(feed(instructor))]  # tutorial order
    assert FAILURES["api-permissions"].advice in html.replace("&#39;", "'")
    assert '<script src="/static/room.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and " onclick=" not in html


def test_signed_out_visitors_get_401_and_a_way_to_log_in(app: FastAPI) -> None:
    visitor = attendee(app)
    page = navigate(visitor, "/room")
    assert page.status_code == 401 and page.headers["www-authenticate"].startswith("Bearer")
    assert 'href="/auth/login?returnTo=%2Froom"' in page.text and "read:room" in page.text
    answer = visitor.get("/room/feed")
    assert answer.status_code == 401 and answer.json()["check"] == "session"
    assert visitor.post("/room/workshops", data={"csrf": "x"}).status_code == 401


def test_alice_gets_403_with_the_reason_and_admin_sees_the_room(app: FastAPI, instructor: TestClient) -> None:
    alice = attendee(app)
    assert sign_in(alice, *ALICE).status_code == 303
    page = navigate(alice, "/room")
    assert page.status_code == 403
    assert 'error="insufficient_scope"' in page.headers["www-authenticate"]
    assert "needs the permission read:room" in page.text and "holds read:messages" in page.text
    answer = alice.get("/room/feed")
    assert answer.status_code == 403
    assert answer.json()["check"] == "permissions" and "read:room" in answer.json()["detail"]
    assert navigate(instructor, "/room").status_code == 200


def test_a_bearer_token_with_read_room_reads_the_feed(app: FastAPI) -> None:
    client = attendee(app)
    admin_token = password_token(client, *ADMIN).json()["data"]
    assert "read:room" in claims_of(admin_token)["permissions"]
    assert client.get("/room/feed", headers={"Authorization": f"Bearer {admin_token}"}).status_code == 200
    alice_token = password_token(client, *ALICE).json()["data"]
    refused = client.get("/room/feed", headers={"Authorization": f"Bearer {alice_token}"})
    assert refused.status_code == 403 and "read:room" in refused.headers["www-authenticate"]
    expired = client.get("/room/feed", headers={"Authorization": "Bearer a.b.c"})
    assert expired.status_code == 401


def test_start_a_new_workshop_counts_from_now_on(app: FastAPI, instructor: TestClient) -> None:
    early = attendee(app)
    password_token(early, *ALICE)
    call_api(early, "/api/secure", "nope")
    assert feed(instructor)["attendees"] == 1
    html = instructor.get("/room").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    assert instructor.post("/room/workshops", data={"csrf": "forged"}).status_code == 403
    assert instructor.post("/room/workshops", data={"csrf": csrf},
                           headers={"Origin": "https://evil.example"}).status_code == 403
    assert feed(instructor)["attendees"] == 1
    answer = instructor.post("/room/workshops", data={"csrf": csrf}, headers={"Origin": "http://testserver"})
    assert answer.status_code == 303 and answer.headers["location"] == "/room"
    view = feed(instructor)
    assert view["attendees"] == 0 and failure_counts(view) == {} and view["workshop_started_at"]
    password_token(early, *ALICE)  # the same browser reaches the milestone again in the new workshop
    late = attendee(app)
    password_token(late, *BOB)
    view = feed(instructor)
    assert view["attendees"] == 2 and milestone_counts(view)["password-token"] == 2


def test_events_past_retention_disappear(app: FastAPI, instructor: TestClient) -> None:
    room = app.state.room
    long_ago = time.time() - room.recorder.retention - 60
    room.store.add([Event(long_ago, f"{n:032x}", kind, name, "protect-an-api")
                    for n in range(50) for kind, name in ((MILESTONE, "scoped"), (FAILURE, "api-exp"))])
    view = feed(instructor)
    assert view["attendees"] == 0 and milestone_counts(view)["scoped"] == 0 and failure_counts(view) == {}
    room.recorder.purge_every = 0
    password_token(attendee(app), *ALICE)
    feed(instructor)  # the room writes what it holds (the batch it would write within a second) and purges
    with room.store.database.transaction() as connection:
        remaining = connection.execute(select(func.count()).select_from(events)).scalar()
        oldest = connection.execute(select(func.min(events.c.at))).scalar()
    assert remaining == 1 and oldest > long_ago


def test_every_failure_code_has_its_step_and_advice(app: FastAPI) -> None:
    slugs = {step.slug for step in app.state.tutorial.steps}
    assert set(ANSWER_CODES.values()) <= set(FAILURES)
    for code, kind in FAILURES.items():
        assert kind.step in slugs and kind.title and kind.advice, code
    assert failure_code("GET", "/auth/callback", 400, "login-<script>alert(1)</script>") == "login-other"
    assert failure_code("GET", "/api/secure", 401, "made-up") is None
    assert failure_code("POST", "/u/login", 401, None) == "tenant-wrong_password"
    assert failure_code("GET", "/api/public", 200, None) is None


def test_a_broken_store_never_fails_an_attendee_and_the_room_says_so(app: FastAPI, instructor: TestClient) -> None:
    with app.state.room.store.database.transaction() as connection:
        connection.exec_driver_sql("DROP TABLE room_events")
    client = attendee(app)
    assert navigate(client, "/tutorials/protect-an-api").status_code == 200
    token = password_token(client, *ALICE).json()["data"]
    assert call_api(client, "/api/admin", token) == 403
    answer = instructor.get("/room/feed")
    assert answer.status_code == 503 and answer.headers["retry-after"] and "cannot be read" in answer.json()["detail"]
    page = navigate(instructor, "/room")
    assert page.status_code == 503 and "Traceback" not in page.text



def test_the_page_says_the_instructors_own_browser_is_left_out(app: FastAPI, instructor: TestClient) -> None:
    page = navigate(instructor, "/room")
    assert page.status_code == 200 and "data-room-own-browser" in page.text
    assert "This browser's own events are left" in page.text and "second browser" in page.text
