"""Two instances of the site on one database, each request going to the other one, as behind a load balancer."""

import itertools
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import DATABASES, ROOT, database_of_kind, free_port, header_of, start_server, stop_server
from tests.login.tenant_form import log_in
from tests.tenant.conftest import API, past_consent, pkce_pair, query_of

PASSWORD_GRANT = {"grant_type": "password", "client_id": "web-app", "client_secret": "web-app-secret",
                  "audience": API}


class Alternating(httpx.HTTPTransport):
    """A load balancer in front of the instances: each request goes to the next one, the Host header unchanged."""

    def __init__(self, ports: list[int]) -> None:
        super().__init__()
        self.next_port = itertools.cycle(ports)
        self.served: list[int] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send the request to the next instance."""
        port = next(self.next_port)
        request.url = request.url.copy_with(port=port)
        self.served.append(port)
        return super().handle_request(request)


class Instances:
    """Two uvicorn instances with one public origin, and a client that alternates between them."""

    def __init__(self, root: Path, database_url: str | None) -> None:
        self.ports = [free_port(), free_port()]
        self.origin = f"http://127.0.0.1:{self.ports[0]}"
        # On PostgreSQL each instance has its own data folder; SQLite can only be shared through one folder.
        folders = [root / "a", root / "b"] if database_url else [root, root]
        self.env = {"PUBLIC_URL": self.origin, **({"DATABASE_URL": database_url} if database_url else {})}
        self.data_dir = folders[0]
        self.processes = []
        for folder, port in zip(folders, self.ports):
            folder.mkdir(exist_ok=True)
            self.processes.append(start_server(folder, port, extra_env=self.env))

    def client(self, balancer: Alternating | None = None) -> httpx.Client:
        """A browser-like client (its own cookies) behind the alternating load balancer."""
        return httpx.Client(base_url=self.origin, transport=balancer or Alternating(self.ports), timeout=20)

    def each(self, path: str) -> list[httpx.Response]:
        """GET `path` from each instance directly."""
        return [httpx.get(f"http://127.0.0.1:{port}{path}", headers={"Host": self.origin[7:]}) for port in self.ports]

    def stop(self) -> None:
        """Stop both."""
        for process in self.processes:
            stop_server(process)


@pytest.fixture(scope="module", params=DATABASES)
def instances(request, tmp_path_factory) -> Iterator[Instances]:
    """Two instances on one PostgreSQL database (or, on SQLite, one shared data folder)."""
    with database_of_kind(request, request.param) as database_url:
        running = Instances(tmp_path_factory.mktemp("instances"), database_url)
        yield running
        running.stop()


def password_login(client: httpx.Client, email: str, password: str, **extra: str) -> httpx.Response:
    """The password grant through the load balancer."""
    return client.post("/oauth/token", data={**PASSWORD_GRANT, "username": email, "password": password,
                                                    **extra})


def test_requests_really_alternate(instances):
    balancer = Alternating(instances.ports)
    with instances.client(balancer) as client:
        for _ in range(4):
            assert client.get("/healthz").status_code == 200
    assert set(balancer.served) == set(instances.ports)


def test_a_code_issued_by_one_instance_is_redeemed_at_the_other(instances):
    verifier, challenge = pkce_pair()
    redirect_uri = f"{instances.origin}/docs/oauth2-redirect"
    balancer = Alternating(instances.ports)
    with instances.client(balancer) as client:
        login_page = client.get("/authorize", params={
            "response_type": "code", "client_id": "swagger-ui", "redirect_uri": redirect_uri, "audience": API,
            "scope": "openid", "state": "s1", "code_challenge": challenge, "code_challenge_method": "S256"})
        assert login_page.status_code == 302
        issued = client.post("/u/login", data={
            "state": query_of(login_page.headers["location"])["state"], "username": "admin@example.com",
            "password": "admin-demo-1"})
        assert issued.status_code == 302, issued.text
        code = query_of(past_consent(client, issued.headers["location"]))["code"]
        token = client.post("/oauth/token", data={
            "grant_type": "authorization_code", "code": code, "client_id": "swagger-ui", "code_verifier": verifier,
            "redirect_uri": redirect_uri})
        replay = client.post("/oauth/token", data={
            "grant_type": "authorization_code", "code": code, "client_id": "swagger-ui", "code_verifier": verifier,
            "redirect_uri": redirect_uri})
    assert balancer.served[1] != balancer.served[2] != balancer.served[3]
    assert token.status_code == 200, token.text
    assert replay.status_code == 403 and replay.json()["error"] == "invalid_grant"


def test_a_sign_up_at_one_instance_logs_in_at_the_other(instances):
    with instances.client() as client:
        created = client.post("/dbconnections/signup", json={
            "client_id": "web-app", "connection": "Username-Password-Authentication",
            "email": "Ines@Example.com", "password": "Ines-pass-1"})
        assert created.status_code == 200, created.text
        token = password_login(client, "ines@example.com", "Ines-pass-1")
        again = client.post("/dbconnections/signup", json={
            "client_id": "web-app", "connection": "Username-Password-Authentication",
            "email": "INES@example.com", "password": "Ines-pass-1"})
    assert token.status_code == 200, token.text
    assert again.status_code == 400 and again.json()["code"] == "user_exists"


def test_a_web_login_session_is_valid_on_both_instances(instances):
    with instances.client() as client:
        profile = log_in(client, "alice@example.com", "alice-demo-1")
        assert profile.status_code == 200 and profile.url.path == "/profile"
        answers = [client.get("/profile", follow_redirects=False).status_code for _ in range(6)]
    assert answers == [200] * 6


def test_failed_logins_count_across_both_instances(instances):
    with instances.client() as client:
        wrong = [password_login(client, "bob@example.com", "wrong-password").status_code for _ in range(10)]
        blocked = password_login(client, "bob@example.com", "bob-demo-1")
    assert wrong == [403] * 10
    assert blocked.status_code == 429 and blocked.json()["error"] == "too_many_attempts"


def test_a_refresh_token_used_twice_is_caught_across_both_instances(instances):
    with instances.client() as client:
        first = password_login(client, "admin@example.com", "admin-demo-1", scope="openid offline_access").json()
        refresh = {"grant_type": "refresh_token", "client_id": "web-app", "client_secret": "web-app-secret"}
        rotated = client.post("/oauth/token", data={**refresh, "refresh_token": first["refresh_token"]})
        assert rotated.status_code == 200, rotated.text
        reused = client.post("/oauth/token", data={**refresh, "refresh_token": first["refresh_token"]})
        family_revoked = client.post("/oauth/token",
                                     data={**refresh, "refresh_token": rotated.json()["refresh_token"]})
    assert reused.status_code == 403 and reused.json()["error"] == "invalid_grant"
    assert family_revoked.status_code == 403


def test_a_rotated_key_is_used_and_published_by_both(instances):
    with instances.client() as client:
        old_kid = header_of(password_login(client, "alice@example.com", "alice-demo-1").json()["access_token"])["kid"]
        rotated = subprocess.run([sys.executable, "-m", "tenant", "rotate-key", "--data-dir", str(instances.data_dir)],
                                 cwd=ROOT, capture_output=True, text=True, timeout=60,
                                 env={**os.environ, **instances.env})
        assert rotated.returncode == 0, rotated.stderr
        deadline = time.monotonic() + 30
        kids: list[str] = []
        while time.monotonic() < deadline:
            kids = [header_of(password_login(client, "alice@example.com", "alice-demo-1").json()["access_token"])["kid"]
                    for _ in range(2)]
            if old_kid not in kids:
                break
            time.sleep(1)
    assert old_kid not in kids and len(set(kids)) == 1
    for jwks in instances.each("/.well-known/jwks.json"):
        assert {old_kid, kids[0]} <= {key["kid"] for key in jwks.json()["keys"]}


def test_the_inspector_shows_a_visitor_every_step_whichever_instance_served_it(instances):
    same_origin = {"Sec-Fetch-Site": "same-origin"}
    with instances.client() as client, instances.client() as stranger:
        log_in(client, "alice@example.com", "alice-demo-1")
        token = client.post("/auth/token", json={"email": "alice@example.com", "password": "alice-demo-1"},
                            headers=same_origin).json()["data"]
        pages = [client.get("/inspector", headers={"Accept": "text/html"}).text for _ in range(4)]
        seen_by_stranger = stranger.get("/inspector", headers={"Accept": "text/html"}).text
    assert all(page.count('data-flow="') == 2 and token in page and "Web login" in page for page in pages)
    assert 'data-flow="' not in seen_by_stranger and token not in seen_by_stranger
