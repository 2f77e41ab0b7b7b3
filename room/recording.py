"""Records what browsers do, anonymously: an opaque id per visitor; events held a second and written in batches."""

import asyncio
import logging
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from progress.milestones import FAILURE_STATE, MILESTONES_STATE, header
from room.access import holds_room_permission
from room.catalogue import FAILURES, failure_code
from room.store import FAILURE, MILESTONE, SEEN, Event, RoomStore
from server.addresses import scope_client_address

logger = logging.getLogger("playground.room")

SESSION_KEY = "room"
# Paths whose requests say nothing about an attendee: the instructor's own page, assets, the health probe.
QUIET_PREFIXES = ("/room", "/static/", "/healthz", "/favicon")
SEEN_EVERY_SECONDS = 120.0
# An instructor's events as an attendee are deleted again on each write for this long: other workers write theirs late.
FORGET_FOR_SECONDS = 10.0
# One visitor's repeats of one failure count once a minute: a loop of bad requests cannot flood the room.
SAME_FAILURE_EVERY_SECONDS = 60.0
# New visitors counted per client address (a workshop's Wi-Fi is one) in a window; more are not recorded.
NEW_VISITORS_PER_ADDRESS = 300
NEW_VISITORS_WINDOW_SECONDS = 15 * 60
MAX_ADDRESSES_COUNTED = 10_000
WORKSHOP_REFRESH_SECONDS = 5.0
RETENTION_SECONDS = 12 * 60 * 60
PURGE_EVERY_SECONDS = 10 * 60
# Events wait this long in memory, so that a busy room's events go to the store in one INSERT a second per process.
WRITE_EVERY_SECONDS = 1.0
# Held events beyond this (a store that stays unwritable) are dropped: the room is a view, memory is bounded.
MAX_HELD_EVENTS = 20_000
STEP_PREFIX = "/tutorials/"


@dataclass(frozen=True)
class Observed:
    """What one answer means for the room: events to add, and a visitor to forget (one who turned out an instructor)."""

    events: list[Event]
    forget: str | None


NOTHING = Observed([], None)


@dataclass
class NewcomerLimit:
    """How many new visitors each client address may bring to the room in a window, counted in this worker."""

    per_address: int = NEW_VISITORS_PER_ADDRESS
    window: float = NEW_VISITORS_WINDOW_SECONDS
    max_addresses: int = MAX_ADDRESSES_COUNTED
    # Each address's window start and count, the one seen longest ago first: it is dropped when the table is full,
    # so that many addresses cannot wipe the count of one that keeps coming.
    _counts: OrderedDict[str, tuple[float, int]] = field(default_factory=OrderedDict)

    def admit(self, address: str | None) -> bool:
        """Count a new visitor from `address`; False once the address has brought its share."""
        now, key = time.monotonic(), address or ""
        started, count = self._counts.pop(key, (now, 0))
        if now - started >= self.window:
            started, count = now, 0
        self._counts[key] = (started, count + 1)
        if len(self._counts) > self.max_addresses:
            self._counts.popitem(last=False)
        return count < self.per_address


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
    _held: list[Event] = field(default_factory=list)
    _forgetting: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    newcomers: NewcomerLimit = field(default_factory=NewcomerLimit)

    def observe(self, scope: Scope, status: int, before: object, address: str | None) -> Observed:
        """The events of one answer to a browser; updates the visitor's room entry in their session."""
        session = scope["session"]
        mine = visitor_entry(session.get(SESSION_KEY)) or visitor_entry(before)
        if mine is None:
            if not self.newcomers.admit(address):
                return NOTHING
            mine = new_visitor()
        if holds_room_permission(session):
            # The room counts attendees, not its instructors: what this browser did before signing in goes.
            session[SESSION_KEY] = {**mine, "instructor": True}
            return Observed([], None if mine.get("instructor") else mine["id"])
        now = time.time()
        if mine["w"] != self.workshop_started_at:
            mine.update(w=self.workshop_started_at, sent=[], failed={})
        batch: list[Event] = []
        state = scope.get("state") or {}
        for key in state.get(MILESTONES_STATE, ()):
            if key not in mine["sent"]:
                mine["sent"].append(key)
                batch.append(Event(now, mine["id"], MILESTONE, key))
        code = failure_code(scope["method"], scope["path"], status, state.get(FAILURE_STATE))
        step = self.step_of(scope, code) if code is not None else ""
        if code is not None and now - mine["failed"].get(f"{code} {step}", 0.0) >= SAME_FAILURE_EVERY_SECONDS:
            mine["failed"][f"{code} {step}"] = now
            batch.append(Event(now, mine["id"], FAILURE, code, step))
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

    def hold(self, observed: Observed) -> bool:
        """Keep the events for the next batch; True when there is something to write or the workshop start is stale."""
        with self._lock:
            room_left = MAX_HELD_EVENTS - len(self._held)
            if len(observed.events) > room_left:
                logger.error("The room dropped %d events: too many wait for the store",
                             len(observed.events) - room_left)
            self._held.extend(observed.events[:max(room_left, 0)])
            if observed.forget is not None:
                self._forgetting[observed.forget] = time.monotonic() + FORGET_FOR_SECONDS
            return self.holds_anything() or time.monotonic() - self._workshop_read_at >= WORKSHOP_REFRESH_SECONDS

    def holds_anything(self) -> bool:
        """True while events or visitors to forget wait to be written."""
        return bool(self._held) or bool(self._forgetting)

    def write(self) -> None:
        """Insert the held events in one statement; now and then re-read the workshop start and purge old events."""
        with self._lock:
            batch, self._held = self._held, []
            forgotten = set(self._forgetting)  # each at least once, however late a busy machine runs this write
            now = time.monotonic()
            self._forgetting = {visitor: until for visitor, until in self._forgetting.items() if until > now}
        self.store.add([event for event in batch if event.visitor not in forgotten])
        if forgotten:  # after the batch, which may hold what they did before signing in
            self.store.forget(sorted(forgotten))
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
    failed = value.get("failed")
    failed = {code: at for code, at in failed.items() if isinstance(at, int | float)} if isinstance(failed, dict) else {}
    return {"id": value["id"], "w": workshop, "sent": list(sent), "seen": seen, "failed": failed,
            "instructor": value.get("instructor") is True}


def new_visitor() -> dict[str, Any]:
    """A fresh entry: a random id that says nothing about who the visitor is."""
    return {"id": secrets.token_hex(16), "w": 0.0, "sent": [], "seen": 0.0, "failed": {}, "instructor": False}


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
        self._writer: asyncio.Task | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; note the events when the answer starts; hold them for the writer once it is sent."""
        if scope["type"] == "lifespan":
            await self.app(scope, self.writing_at_shutdown(receive), send)
            return
        if scope["type"] != "http" or "session" not in scope or scope["path"].startswith(QUIET_PREFIXES) \
                or not recording_on(scope["app"]) or not from_a_browser(scope):
            await self.app(scope, receive, send)
            return
        # A login or logout clears the session; the visitor keeps their id.
        before = scope["session"].get(SESSION_KEY)
        # Read while scope["app"] is still the site, not a mounted app.
        address = scope_client_address(scope, scope["app"].state.settings.trusted_proxy_hops)
        observed = [NOTHING]

        async def send_noting_events(message: Message) -> None:
            if message["type"] == "http.response.start":
                observed[0] = self.recorder.observe(scope, message["status"], before, address)
            await send(message)

        await self.app(scope, receive, send_noting_events)
        if self.recorder.hold(observed[0]):
            self.write_soon()

    def write_soon(self) -> None:
        """Start the writer, unless one already waits in this event loop."""
        loop = asyncio.get_running_loop()
        if self._writer is None or self._writer.done() or self._writer.get_loop() is not loop:
            self._writer = loop.create_task(self.write_every_second())

    async def write_every_second(self) -> None:
        """Write what is held a second from now, and again while more arrives; then stop."""
        while True:
            await asyncio.sleep(WRITE_EVERY_SECONDS)
            await self.write_now()
            if not self.recorder.holds_anything():
                return

    async def write_now(self) -> None:
        """Write what is held; a failing store is logged and never reaches a visitor."""
        try:
            await run_in_threadpool(self.recorder.write)
        except Exception as error:  # noqa: BLE001 - the room is a view; a failing store must not fail the visitor
            logger.error("The room could not record its events: %s", type(error).__name__)

    def writing_at_shutdown(self, receive: Receive) -> Receive:
        """The server's lifespan messages, writing what is held when it says it shuts down."""

        async def receive_then_write() -> Message:
            message = await receive()
            if message["type"] == "lifespan.shutdown":
                await self.write_now()
            return message

        return receive_then_write
