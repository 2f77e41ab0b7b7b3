"""The room as the app holds it: its store, its recorder, who may see it, and the counts as the page shows them."""

import logging
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from progress.milestones import MILESTONES
from room.access import RoomAccess
from errors.troubleshooting import troubleshooting_url
from room.catalogue import FAILURES, FailureKind
from room.recording import Recorder
from room.store import RoomCounts, RoomStore
from storage import Database
from tokens.verification import Auth0
from tutorial_engine.model import Tutorial
from tutorial_engine.site import SiteTutorial

logger = logging.getLogger("playground.room")

STORE_UNAVAILABLE = "The room's database cannot be read right now; this page tries again by itself."
ACTIVE_WINDOW_SECONDS = 10 * 60
FAILURE_WINDOW_SECONDS = 15 * 60
REFRESH_SECONDS = 3


class RoomUnavailable(Exception):
    """The room's store cannot be read."""


def troubleshooting_url_for(kind: FailureKind) -> str | None:
    """The troubleshooting entry for a kind of failure, when it has one."""
    return troubleshooting_url(kind.troubleshooting) if kind.troubleshooting else None


@dataclass(frozen=True)
class Room:
    """Everything /room needs."""

    store: RoomStore
    recorder: Recorder
    access: RoomAccess
    tutorial: SiteTutorial

    def view(self) -> dict[str, Any]:
        """The room in numbers, ready for the page and the feed: counts, labels and advice, nothing about anyone."""
        try:
            self.recorder.write()  # what this process still holds counts at once
            now = time.time()
            counts = self.store.counts(now, ACTIVE_WINDOW_SECONDS, FAILURE_WINDOW_SECONDS,
                                       not_before=now - self.recorder.retention)
        except SQLAlchemyError as error:
            logger.error("The room's counts cannot be read: %s", type(error).__name__)
            raise RoomUnavailable(STORE_UNAVAILABLE) from error
        return describe(counts, self.tutorial.rendered(), now)


def build_room(database: Database, verifier: Auth0, tutorial: SiteTutorial) -> Room:
    """The room for the site: its own tables in the site's database, tokens checked as the API checks them."""
    store = RoomStore(database)
    recorder = Recorder(store, tutorial.slugs())
    with database.at_startup():
        recorder.write()  # reads the current workshop and purges what expired while the site was down
    return Room(store, recorder, RoomAccess(verifier), tutorial)


def iso(timestamp: float) -> str | None:
    """A Unix time as ISO 8601 UTC; None for 0 (never)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp)) if timestamp else None


def describe(counts: RoomCounts, tutorial: Tutorial, now: float) -> dict[str, Any]:
    """Counts with their tutorial context: a bar per milestone in tutorial order, failures with their advice."""

    def step_of(slug: str) -> dict[str, Any]:
        step = tutorial.get(slug)
        number = tutorial.steps.index(step) + 1 if step else None
        return {"step": slug, "step_number": number, "step_title": step.title if step else slug}

    milestones = [{"key": m.key, "label": m.label, "visitors": counts.milestones.get(m.key, 0), **step_of(m.step)}
                  for m in MILESTONES]
    failures = [{"kind": code, "title": FAILURES[code].title, "advice": FAILURES[code].advice, "times": times,
                 "troubleshooting": troubleshooting_url_for(FAILURES[code]),
                 "attendees": attendees, **step_of(step)}
                for code, step, times, attendees in counts.failures if code in FAILURES]
    return {
        "workshop_started_at": iso(counts.workshop_started_at), "updated_at": iso(now),
        "attendees": counts.attendees, "active": counts.active, "active_window_minutes": ACTIVE_WINDOW_SECONDS // 60,
        "failure_window_minutes": FAILURE_WINDOW_SECONDS // 60, "milestones": milestones, "failures": failures,
    }
