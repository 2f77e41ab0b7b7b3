"""One client cannot hold the server's connections or memory: the limits `python main.py` and the deploy use."""

import socket
import time
from collections.abc import Iterator

import pytest

from server.limits import MAX_HEADER_BYTES, MAX_HEADERS, REQUEST_READ_TIMEOUT, uvicorn_flags
from tests.conftest import free_port
from tests.deploy.platform import procfile_web_command, run_web_command, shell_words, stop
from tests.local_server import HOST, wait_until_healthy


def test_the_deploy_command_sets_every_limit():
    words = shell_words(procfile_web_command())
    assert set(uvicorn_flags()) <= set(words)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """The Procfile's command on a free port; its port."""
    port = free_port()
    process = run_web_command(tmp_path_factory.mktemp("limits-data"), port)
    wait_until_healthy(process, port)
    yield port
    stop(process)


def connect(port: int) -> socket.socket:
    """A raw TCP connection to the server."""
    return socket.create_connection((HOST, port), timeout=REQUEST_READ_TIMEOUT + 5)


def closed_after(sock: socket.socket, dribble: bytes = b"") -> float:
    """Seconds until the server closes the connection, sending `dribble` one byte a second meanwhile."""
    started = time.monotonic()
    sock.settimeout(1)
    for byte in dribble:
        try:
            sock.sendall(bytes([byte]))
            if sock.recv(65536) == b"":
                break
        except TimeoutError:
            continue
        except OSError:
            break
    return time.monotonic() - started


def test_a_request_dribbled_a_byte_a_second_is_dropped(server):
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        waited = closed_after(sock, b"X-Slow: " + b"a" * (REQUEST_READ_TIMEOUT * 3))
    assert waited < REQUEST_READ_TIMEOUT + 5


def test_a_connection_that_sends_nothing_is_dropped(server):
    with connect(server) as sock:
        started = time.monotonic()
        assert sock.recv(1) == b""
    assert time.monotonic() - started < REQUEST_READ_TIMEOUT + 5


def test_an_oversized_header_is_refused_without_buffering_it(server):
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ")
        sent = 0
        try:
            while sent < 20 * 1024 * 1024:
                sock.sendall(b"a" * 65536)
                sent += 65536
        except OSError:
            pass  # the server closed the connection mid-header
        sock.settimeout(5)
        answer = sock.recv(65536)
    assert sent < 20 * 1024 * 1024  # refused long before the end
    assert answer == b"" or answer.startswith(b"HTTP/1.1 4")


def answer_to(port: int, *pieces: bytes) -> bytes:
    """What the server answers a request sent in these pieces, up to its first blank line."""
    with connect(port) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for piece in pieces:
            sock.sendall(piece)
        answer = b""
        while b"\r\n\r\n" not in answer and (received := sock.recv(65536)):
            answer += received
    return answer


def headers(count: int, value_length: int = 30) -> bytes:
    """`count` header lines, each with a value of `value_length` characters."""
    return b"".join(b"X-Header-%d: %s\r\n" % (number, b"a" * value_length) for number in range(count))


def test_two_thousand_headers_in_one_piece_are_refused(server):
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + headers(2000) + b"\r\n"
    assert len(request) > 4 * MAX_HEADER_BYTES
    assert answer_to(server, request).startswith(b"HTTP/1.1 431 ")


def test_too_many_small_headers_are_refused(server):
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + headers(MAX_HEADERS, 1) + b"\r\n"
    assert len(request) < MAX_HEADER_BYTES
    assert answer_to(server, request).startswith(b"HTTP/1.1 431 ")


def test_headers_over_the_size_limit_are_refused_in_pieces_too(server):
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * MAX_HEADER_BYTES
    pieces = [head[start:start + 1024] for start in range(0, len(head), 1024)]
    assert answer_to(server, *pieces).startswith(b"HTTP/1.1 431 ")


def test_a_request_within_the_limits_is_answered(server):
    request = (b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers(MAX_HEADERS - 3, 100)
               + b"\r\n")
    assert answer_to(server, request).startswith(b"HTTP/1.1 200 ")


def test_a_normal_request_is_answered(server):
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
