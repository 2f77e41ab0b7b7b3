"""Visitors' own post-login Actions: deployed for their logins only, run in a pool apart from the operator's."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tenant.actions.engine import TIME_LIMIT, WALL_TIME_GRACE, ActionDenied, ActionEngine, RunResult
from tenant.store.visitor_actions import VisitorActionStore

# Child processes for visitors' code, apart from the operator's: a visitor's endless loop holds one of these for the
# time limit, never one the operator's Actions (and so every other login) need.
VISITOR_PROCESSES = 3
# Visitors' child processes run at this lower CPU priority: an endless loop slows other logins less.
VISITOR_NICENESS = 10
VISITOR_BUSY = ("Another run of your Actions is still going (a test or a login); it ends within "
                f"{int(TIME_LIMIT)} seconds. Try again then.")


class VisitorActions:
    """Runs each visitor's deployed Actions for their own logins, one run per visitor at a time."""

    def __init__(self, store: VisitorActionStore, engine: ActionEngine) -> None:
        self.store = store
        self.engine = engine
        self._running: dict[str, list] = {}
        self._guard = threading.Lock()

    @classmethod
    def started(cls, store: VisitorActionStore, time_limit: float = TIME_LIMIT,
                processes: int = VISITOR_PROCESSES) -> "VisitorActions":
        """Visitor Actions with their own pool of child processes (started on first use)."""
        return cls(store, ActionEngine((), time_limit=time_limit, processes=processes, niceness=VISITOR_NICENESS))

    def run_deployed(self, user_id: str, event: dict, plan: dict) -> RunResult:
        """Run the user's deployed Actions (with no secrets of the tenant's); ActionDenied when they refuse."""
        sources = tuple(action.source for action in self.store.actions_of(user_id))
        if not sources:
            return RunResult()
        with self.one_run(user_id, wait=True):
            return self.engine.run_sources(sources, {**event, "secrets": {}}, plan)

    def test(self, user_id: str, source: str, event: dict, plan: dict) -> dict | None:
        """One run of a visitor's code against their sample event: the child process's raw answer."""
        with self.one_run(user_id, wait=False):
            return self.engine.outcome((source,), event, plan)

    @contextmanager
    def one_run(self, user_id: str, wait: bool) -> Iterator[None]:
        """Hold the visitor's one run at a time: a hostile visitor holds at most one child process."""
        with self._guard:
            entry = self._running.setdefault(user_id, [threading.Lock(), 0])
            entry[1] += 1  # the lock is dropped only when nobody holds or awaits it
        try:
            if not entry[0].acquire(timeout=self.engine.time_limit + WALL_TIME_GRACE if wait else 0):
                raise ActionDenied(VISITOR_BUSY)
            try:
                yield
            finally:
                entry[0].release()
        finally:
            with self._guard:
                entry[1] -= 1
                if entry[1] == 0:
                    self._running.pop(user_id, None)

    def close(self) -> None:
        """Stop the idle child processes."""
        self.engine.close()
