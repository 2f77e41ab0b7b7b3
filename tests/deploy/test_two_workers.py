"""Under `--workers 2` every worker accepts the session cookie the other one signed and reads the same records."""

import re

import httpx

from tests.conftest import free_port, start_server, stop_server
from tests.login.tenant_form import log_in

PAGE = {"Accept": "text/html"}


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


FLOW_ID = re.compile(r'data-flow="([^"]+)"')


def test_the_inspector_shows_a_visitors_whole_flow_whichever_worker_served_each_step(tmp_path):
    port = free_port()
    process = start_server(tmp_path, port, workers=2)
    try:
        no_keep_alive = httpx.Limits(max_keepalive_connections=0)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10, limits=no_keep_alive) as client, \
                httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10, limits=no_keep_alive) as stranger:
            log_in(client, "alice@example.com", "alice-demo-1")
            tokens = [client.post("/auth/token", json={"email": "alice@example.com", "password": "alice-demo-1"},
                                  headers={"Sec-Fetch-Site": "same-origin"}).json()["data"] for _ in range(2)]
            pages = [client.get("/inspector", headers=PAGE).text for _ in range(10)]
            strangers = [stranger.get("/inspector", headers=PAGE).text for _ in range(4)]
    finally:
        stop_server(process)
    shown = [FLOW_ID.findall(page) for page in pages]
    # Newest first: two password grants, then the web login.
    assert all(len(ids) == 3 and ids == shown[0] for ids in shown), shown
    assert all(token in page for page in pages for token in tokens)
    assert all("Web login" in page for page in pages)
    assert all(not FLOW_ID.search(page) and tokens[0] not in page for page in strangers)
