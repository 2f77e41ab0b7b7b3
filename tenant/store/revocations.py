"""Grants whose tokens are revoked (a replayed authorization code's): kept in the store, mirrored in memory."""

import logging
import threading
import time
from typing import Any

from starlette.concurrency import run_in_threadpool

from storage import DatabaseUnavailable
from tenant.store.store import Store, digest

logger = logging.getLogger("tenant")
REVOKED_GRANT_KIND = "revoked_grant"
# How stale the in-memory list may be: another worker's or instance's revocation reaches this one within it.
RELOAD_INTERVAL = 2.0


def grant_of(claims: dict[str, Any]) -> str | None:
    """The grant an access token was issued for: the first part of its `jti` (`<grant>.<token>`)."""
    jti = claims.get("jti")
    return jti.split(".", 1)[0] if isinstance(jti, str) and "." in jti else None


class RevokedGrants:
    """Revokes a grant's tokens, and answers whether a token's grant is revoked."""
    # The API asks about every request, so it reads a set in memory, reloaded from the store every RELOAD_INTERVAL
    # seconds (one indexed query, whatever the traffic); /userinfo and the refresh grant ask the store itself.

    def __init__(self, store: Store, lifetime: float, reload_interval: float = RELOAD_INTERVAL) -> None:
        self.store = store
        self.lifetime = lifetime
        self.reload_interval = reload_interval
        self._revoked: frozenset[str] = frozenset()
        self._loaded_at = float("-inf")
        self._reloading = threading.Lock()
        # Grants this worker revoked, with when: those revoked while a reload's query runs may be missing from it.
        self._revoked_here: dict[str, float] = {}
        self._lock = threading.Lock()

    def revoke(self, grant_id: str) -> None:
        """Revoke every token of the grant: its refresh tokens now, its access tokens for as long as they live."""
        self.store.revoke_grant(grant_id, REVOKED_GRANT_KIND, self.lifetime)
        key = digest(grant_id)
        with self._lock:
            self._revoked_here[key] = time.monotonic()
            self._revoked = self._revoked | {key}

    def is_revoked(self, grant_id: str | None) -> bool:
        """Whether the grant is revoked, read from the store."""
        return grant_id is not None and self.store.get_grant(REVOKED_GRANT_KIND, grant_id) is not None

    async def token_is_revoked(self, claims: dict[str, Any]) -> bool:
        """Whether a verified access token's grant is revoked, from memory (reloaded off the event loop when due)."""
        grant = grant_of(claims)
        if grant is None:
            return False
        if time.monotonic() - self._loaded_at >= self.reload_interval and not self._reloading.locked():
            await run_in_threadpool(self.reload)
        return digest(grant) in self._revoked

    def reload(self) -> None:
        """Read the revoked grants from the store; on a database error keep the last list and try again later."""
        if not self._reloading.acquire(blocking=False):
            return
        try:
            started = time.monotonic()
            try:
                stored = self.store.live_grant_digests(REVOKED_GRANT_KIND)
            except DatabaseUnavailable as error:
                logger.warning("Revoked grants could not be read: %s", type(error).__name__)
            else:
                with self._lock:
                    self._revoked_here = {key: at for key, at in self._revoked_here.items() if at >= started}
                    self._revoked = stored | frozenset(self._revoked_here)
            self._loaded_at = started
        finally:
            self._reloading.release()
