"""How much one client may hold of the server: header size and count, time to send a request, idle and open
connections."""

import asyncio
import logging
import re
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEADER_BYTES = 16 * 1024
MAX_HEADERS = 100
REQUEST_READ_TIMEOUT = 10
KEEP_ALIVE_TIMEOUT = 5
MAX_CONCURRENCY = 500
PROTOCOL = "server.limits:TimedHttpToolsProtocol"
HEAD_END = re.compile(rb"\n\r?\n")
HEAD_TOO_LARGE = b"Request header fields too large: at most %d headers of %d bytes in all." % (MAX_HEADERS,
                                                                                           MAX_HEADER_BYTES)
HEAD_TOO_LARGE_RESPONSE = (b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
                           b"content-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
                           b"content-length: %d\r\n\r\n%s" % (len(HEAD_TOO_LARGE), HEAD_TOO_LARGE))

logger = logging.getLogger("uvicorn.error")


def head_too_large(buffered: bytes) -> bool:
    """Whether the request head `buffered` starts with, whole or in part, is over MAX_HEADER_BYTES or MAX_HEADERS."""
    end = HEAD_END.search(buffered)
    head = buffered[:end.start()] if end else buffered
    # One line break ends the request line and each header but the last: a fair count of headers, complete or not.
    return len(head) > MAX_HEADER_BYTES or head.count(b"\n") > MAX_HEADERS


class TimedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline for reading each request and a 431 for a head over the limits."""
    # uvicorn times out idle kept-alive connections but not one that dribbles its request a byte at a time, and its
    # parser keeps a header however long it grows: the bytes of each request head are counted here as they arrive,
    # and the connection is refused once they are over the limits, whole or in part.

    read_deadline: asyncio.TimerHandle | None = None
    reading_head = True
    head = b""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request."""
        super().connection_made(transport)
        self.start_read_deadline()

    def data_received(self, data: bytes) -> None:
        """Count the request head's bytes, refusing it over the limits; start the clock as a new request begins."""
        if self.reading_head:
            if self.read_deadline is None and not self.head:
                self.start_read_deadline()
            self.head += data
            if head_too_large(self.head):
                self.refuse_head()
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        """The head is in: stop counting its bytes."""
        self.reading_head, self.head = False, b""
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        """The request is all read: stop the clock; the next bytes are the next request's head."""
        self.stop_read_deadline()
        self.reading_head, self.head = True, b""
        super().on_message_complete()

    def refuse_head(self) -> None:
        """Answer 431 and close the connection."""
        self.reading_head, self.head = False, b""
        if not self.transport.is_closing():
            logger.info("Refused a request whose headers were over the limits")
            self.transport.write(HEAD_TOO_LARGE_RESPONSE)
            self.transport.close()

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
        "timeout_keep_alive": KEEP_ALIVE_TIMEOUT,
        "limit_concurrency": MAX_CONCURRENCY,
    }


def uvicorn_flags() -> list[str]:
    """The same limits as uvicorn command-line flags."""
    return [f"--{name.replace('_', '-')}={value}" for name, value in uvicorn_limits().items()]
