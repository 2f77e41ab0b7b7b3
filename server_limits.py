"""How much one client may hold of the server: header size, time to send a request, idle and open connections."""

import asyncio
import logging
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

MAX_HEADER_BYTES = 16 * 1024
REQUEST_READ_TIMEOUT = 10
KEEP_ALIVE_TIMEOUT = 5
MAX_CONCURRENCY = 500
PROTOCOL = "server_limits:TimedH11Protocol"

logger = logging.getLogger("uvicorn.error")


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request is not all in within REQUEST_READ_TIMEOUT seconds."""
    # uvicorn times out idle kept-alive connections but not one that dribbles its request a byte at a time.

    read_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request."""
        super().connection_made(transport)
        self.start_read_deadline()

    def data_received(self, data: bytes) -> None:
        """Start the clock when a new request begins; stop it once the request is all read."""
        if self.read_deadline is None and self.conn.their_state is h11.IDLE:
            self.start_read_deadline()
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE and self.conn.their_state is not h11.SEND_BODY:
            self.stop_read_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock."""
        self.stop_read_deadline()
        super().connection_lost(exc)

    def start_read_deadline(self) -> None:
        """Close the connection unless its request is read within REQUEST_READ_TIMEOUT seconds."""
        self.read_deadline = self.loop.call_later(REQUEST_READ_TIMEOUT, self.read_timed_out)

    def stop_read_deadline(self) -> None:
        """The request is in (or the connection gone)."""
        if self.read_deadline is not None:
            self.read_deadline.cancel()
            self.read_deadline = None

    def read_timed_out(self) -> None:
        """Drop a client too slow to send its request."""
        self.read_deadline = None
        if not self.transport.is_closing():
            logger.info("Closed a connection that did not send its request within %s s", REQUEST_READ_TIMEOUT)
            self.transport.close()


def uvicorn_limits() -> dict[str, Any]:
    """The limits as `uvicorn.run` takes them; the deploy commands pass the same as flags."""
    return {
        "http": PROTOCOL,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        "timeout_keep_alive": KEEP_ALIVE_TIMEOUT,
        "limit_concurrency": MAX_CONCURRENCY,
    }


def uvicorn_flags() -> list[str]:
    """The same limits as uvicorn command-line flags."""
    return [f"--{name.replace('_', '-')}={value}" for name, value in uvicorn_limits().items()]
