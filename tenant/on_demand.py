"""The built-in tenant, built when first needed: nothing in it is needed to start the server or answer /healthz."""

# Building the tenant imports its OAuth server, templates and hashing, creates its tables, loads its signing keys and
# checks the demo users: about half of a cold start. The site starts without it, builds it on a thread a moment after
# start-up (or at the first request that needs it, whichever comes first), and serves it from then on.

import logging
import threading

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from storage import Database, DatabaseUnavailable, first_line
from tenant.config import TenantConfig

logger = logging.getLogger("tenant")
NOT_BUILT = "The built-in tenant cannot reach its database. Wait a few seconds, then try again."
RETRY_AFTER_SECONDS = "5"


class OnDemandTenant:
    """A BuiltinTenant built once, on first use, with the same members (`tenant`, `app`, `jwks`, `rotate_key`)."""

    def __init__(self, config: TenantConfig, database: Database) -> None:
        self.config = config
        self.database = database
        self._built = None
        self._lock = threading.Lock()

    @property
    def built(self):  # -> BuiltinTenant, imported with it
        """The tenant, built now if it was not yet."""
        if self._built is None:
            with self._lock:
                if self._built is None:
                    from tenant.app import BuiltinTenant

                    self._built = BuiltinTenant(self.config, self.database)
        return self._built

    @property
    def tenant(self):  # -> tenant.services.Tenant
        """The tenant's parts."""
        return self.built.tenant

    @property
    def app(self) -> "OnDemandTenant":
        """The tenant's ASGI app: this object, which builds the tenant at its first request."""
        return self

    @property
    def routes(self) -> list:
        """The tenant's routes once it is built (none before: listing them must not build it)."""
        return self._built.app.routes if self._built is not None else []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a request; the first to find the tenant unbuilt waits, off the event loop, for it to be built."""
        built = self._built
        if built is None:
            try:
                built = await run_in_threadpool(lambda: self.built)
            except DatabaseUnavailable as error:
                logger.warning("The built-in tenant cannot be built: %s", first_line(error))
                response = JSONResponse({"error": "temporarily_unavailable", "error_description": NOT_BUILT},
                                        status_code=503, headers={"Retry-After": RETRY_AFTER_SECONDS})
                await response(scope, receive, send)
                return
        await built.app(scope, receive, send)

    def jwks(self) -> dict:
        """The public signing keys, as served at /.well-known/jwks.json."""
        return self.built.jwks()

    def rotate_key(self) -> str:
        """Sign with a new key from now on."""
        return self.built.rotate_key()

    def warm_up(self) -> threading.Thread:
        """Build the tenant on a thread of its own, so that the first sign-in finds it ready."""
        thread = threading.Thread(target=self._build_or_say_why, name="tenant-warm-up", daemon=True)
        thread.start()
        return thread

    def _build_or_say_why(self) -> None:
        """Build; a database that does not answer is logged in one line (requests answer 503 until it does)."""
        try:
            self.built
        except DatabaseUnavailable as error:
            logger.warning("The built-in tenant cannot be built yet: %s", first_line(error))

    def close(self) -> None:
        """Free what a built tenant holds beyond its database; nothing when it was never built."""
        if self._built is not None:
            self._built.close()
