"""Under `--workers 2` every worker accepts the session cookie the other one signed."""

import httpx

from tests.conftest import free_port, start_server, stop_server
from tests.login.tenant_form import log_in


def test_session_survives_requests_spread_over_two_workers(tmp_path):
    port = free_port()
    process = start_server(tmp_path, port, workers=2)
    try:
        # No keep-alive: every request opens a new connection, which either worker may accept.
        no_keep_alive = httpx.Limits(max_keepalive_connections=0)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10, limits=no_keep_alive) as client:
            profile = log_in(client, "alice@example.com", "alice-demo-1")
            assert profile.url.path == "/profile"
            answers = [client.get("/profile").status_code for _ in range(20)]
    finally:
        stop_server(process)
    assert answers == [200] * 20
