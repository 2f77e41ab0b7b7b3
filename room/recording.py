"""Records what browsers do, anonymously: an opaque id per visitor, and one INSERT per event, after the answer."""

import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from milestones import FAILURE_STATE, MILESTONES_STATE, header
from room.access import holds_room_permission
from room.catalogue import FAILURES, failure_code
from room.store import FAILURE, MILESTONE, SEEN, Event, RoomStore

logger = logging.getLogger("playground.room")

SESSION_KEY = "room"
# Paths whose requests say nothing about an attendee: the instructor's own page, assets, the health probe.
QUIET_PREFIXES = ("/room", "/static/", "/healthz", "/favicon")
SEEN_EVERY_SECONDS = 120.0
WORKSHOP_REFRESH_SECONDS = 5.0
RETENTION_SECONDS = 12 * 60 * 60
PURGE_EVERY_SECONDS = 10 * 60
STEP_PREFIX = "/tutorials/"


@dataclass(frozen=True)
class Observed:
    """What one answer means for the room: events to add, and a visitor to forget (one who turned out an instructor)."""

    events: list[Event]
    forget: str | None


NOTHING = Observed([], None)


@dataclass
class Recorder:
    """Turns exchanges into events and writes them; keeps the workshop start cached, purges old events."""

    store: RoomStore
    step_slugs: frozenset[str]
    retention: float = RETENTION_SECONDS
    purge_every: float = PURGE_EVERY_SECONDS
    workshop_started_at: float = 0.0
    _workshop_read_at: float = float("-inf")
    _purged_at: float = float("-inf")

    def observe(self, scope: Scope, status: int, before: object) -> Observed:
        """The events of one answer to a browser; updates the visitor's room entry in their session."""
        session = scope["session"]
        mine = visitor_entry(session.get(SESSION_KEY)) or visitor_entry(before) or new_visitor()
        if holds_room_permission(session):
            # The room counts attendees, not its instructors: what this browser did before signing in goes.
            session[SESSION_KEY] = {**mine, "instructor": True}
            return Observed([], None if mine.get("instructor") else mine["id"])
        now = time.time()
        if mine["w"] != self.workshop_started_at:
            mine.update(w=self.workshop_started_at, sent=[])
        batch: list[Event] = []
        state = scope.get("state") or {}
        for key in state.get(MILESTONES_STATE, ()):
            if key not in mine["sent"]:
                mine["sent"].append(key)
                batch.append(Event(now, mine["id"], MILESTONE, key))
        code = failure_code(scope["method"], scope["path"], status, state.get(FAILURE_STATE))
        if code is not None:
            batch.append(Event(now, mine["id"], FAILURE, code, self.step_of(scope, code)))
        if batch or now - mine["seen"] >= SEEN_EVERY_SECONDS:
            if not batch:
                batch.append(Event(now, mine["id"], SEEN))
            mine["seen"] = now
        session[SESSION_KEY] = mine
        return Observed(batch, None)

    def step_of(self, scope: Scope, code: str) -> str:
        """The step the attendee was on (the page that made the call), else the step that teaches the failure."""
        referer = header(scope, b"referer")
        _, _, path = referer.partition(STEP_PREFIX)
        slug = path.split("?", 1)[0].split("#", 1)[0].strip("/")
        return slug if slug in self.step_slugs else FAILURES[code].step

    def needs_writing(self, observed: Observed) -> bool:
        """True when there is something to write or the cached workshop start is stale."""
        return bool(observed.events) or observed.forget is not None \
            or time.monotonic() - self._workshop_read_at >= WORKSHOP_REFRESH_SECONDS

    def write(self, observed: Observed) -> None:
        """Insert the events; now and then re-read the workshop start and purge events past retention."""
        self.store.add(observed.events)
        if observed.forget is not None:
            self.store.forget(observed.forget)
        now = time.monotonic()
        if now - self._workshop_read_at >= WORKSHOP_REFRESH_SECONDS:
            self._workshop_read_at = now
            self.workshop_started_at = self.store.workshop_started_at()
        if now - self._purged_at >= self.purge_every:
            self._purged_at = now
            self.store.purge(time.time() - self.retention)

    def start_workshop(self) -> None:
        """Count from now on, in this process at once and in the others within seconds."""
        started_at = time.time()
        self.store.start_workshop(started_at)
        self.workshop_started_at = started_at
        self._workshop_read_at = time.monotonic()


def visitor_entry(value: object) -> dict[str, Any] | None:
    """A well-formed room entry from a session, or None."""
    if not isinstance(value, dict) or not isinstance(value.get("id"), str) or len(value["id"]) != 32:
        return None
    sent = value.get("sent")
    seen, workshop = value.get("seen"), value.get("w")
    if not isinstance(sent, list) or not all(isinstance(key, str) for key in sent):
        return None
    if not isinstance(seen, int | float) or not isinstance(workshop, int | float):
        return None
    return {"id": value["id"], "w": workshop, "sent": list(sent), "seen": seen,
            "instructor": value.get("instructor") is True}


def new_visitor() -> dict[str, Any]:
    """A fresh entry: a random id that says nothing about who the visitor is."""
    return {"id": secrets.token_hex(16), "w": 0.0, "sent": [], "seen": 0.0, "instructor": False}


def recording_on(app: Starlette) -> bool:
    """True unless the operator switched the room off (ROOM_ENABLED=false)."""
    return app.state.settings.room_enabled


def from_a_browser(scope: Scope) -> bool:
    """A visitor's browser: it has a session, or the request is a page load or a fetch from one of our pages."""
    return (bool(scope["session"]) or header(scope, b"sec-fetch-site") == "same-origin"
            or header(scope, b"sec-fetch-mode") == "navigate")


class RoomMiddleware:
    """Outside the progress middleware and inside the session: reads what the answer reached, writes the events."""

    def __init__(self, app: ASGIApp, recorder: Recorder) -> None:
        self.app = app
        self.recorder = recorder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; note the events when the answer starts; write them once it is sent."""
        if scope["type"] != "http" or "session" not in scope or scope["path"].startswith(QUIET_PREFIXES) \
                or not recording_on(scope["app"]) or not from_a_browser(scope):
            await self.app(scope, receive, send)
            return
        # A login or logout clears the session; the visitor keeps their id.
        before = scope["session"].get(SESSION_KEY)
        observed = [NOTHING]

        async def send_noting_events(message: Message) -> None:
            if message["type"] == "http.response.start":
                observed[0] = self.recorder.observe(scope, message["status"], before)
            await send(message)

        await self.app(scope, receive, send_noting_events)
        if self.recorder.needs_writing(observed[0]):
            try:
                await run_in_threadpool(self.recorder.write, observed[0])
            except Exception as error:  # noqa: BLE001 - the room is a view; a failing store must not fail the visitor
                logger.error("The room could not record %d events: %s", len(observed[0].events), type(error).__name__)
