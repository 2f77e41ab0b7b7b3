"""Page requests on another host go to the canonical origin; API calls and the localhost fallback are left alone."""

import pytest
from fastapi.testclient import TestClient

from main import create_app
from server.addresses import is_loopback_host
from settings import Settings
from tests.conftest import builtin_settings

PAGE = {"accept": "text/html,application/xhtml+xml"}


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.0.0.1:8000", "localhost:8000", "other.example"])
def test_page_request_on_another_host_is_redirected(site, host):
    response = site.get("/tutorials?page=2", headers=PAGE | {"host": host}, follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "http://testserver/tutorials?page=2"


def test_redirect_keeps_the_encoded_path_and_query(site):
    response = site.get("/tutorials/a%2Fb%3Fc?q=a%26b", headers=PAGE | {"host": "localhost"}, follow_redirects=False)
    assert response.headers["location"] == "http://testserver/tutorials/a%2Fb%3Fc?q=a%26b"


def test_page_request_on_the_canonical_host_is_served(site):
    assert site.get("/", headers=PAGE, follow_redirects=False).status_code == 200


@pytest.mark.parametrize(("method", "accept"), [("GET", "application/json"), ("GET", "*/*"), ("POST", "text/html")])
def test_other_requests_are_not_redirected(site, method, accept):
    response = site.request(method, "/healthz", headers={"host": "localhost", "accept": accept}, follow_redirects=False)
    assert response.status_code != 307


def test_localhost_and_127_0_0_1_converge_on_the_default_origin(tmp_path):
    app = create_app(Settings(_env_file=None, data_dir=tmp_path, port=8765))
    client = TestClient(app, base_url="http://127.0.0.1:8765", follow_redirects=False)
    response = client.get("/profile", headers=PAGE)
    assert response.headers["location"] == "http://localhost:8765/profile"


def test_a_public_host_is_not_sent_to_an_assumed_localhost(tmp_path):
    app = create_app(Settings(_env_file=None, data_dir=tmp_path, port=8765))
    client = TestClient(app, base_url="https://playground.example.org", follow_redirects=False)
    assert client.get("/", headers=PAGE).status_code == 200


def test_a_configured_origin_is_enforced_for_every_host(tmp_path):
    app = create_app(builtin_settings(tmp_path, origin="https://playground.example.org"))
    client = TestClient(app, base_url="http://localhost:8000", follow_redirects=False)
    assert client.get("/", headers=PAGE).headers["location"] == "https://playground.example.org/"


def test_an_origin_written_with_its_default_port_matches_the_browsers_host(tmp_path):
    app = create_app(builtin_settings(tmp_path, origin="https://playground.example.org:443"))
    client = TestClient(app, base_url="https://playground.example.org", follow_redirects=False)
    assert client.get("/", headers=PAGE).status_code == 200


@pytest.mark.parametrize(("host", "loopback"), [
    ("localhost", True), ("LOCALHOST", True), ("app.localhost", True), ("127.0.0.1", True), ("127.1.2.3", True),
    ("[::1]", True), ("::1", True), ("testserver", False), ("example.org", False), ("10.0.0.1", False), ("", False),
])
def test_loopback_hosts(host, loopback):
    assert is_loopback_host(host) is loopback


@pytest.mark.parametrize("host", ["attacker.example", "localhost:8000"])
def test_a_trailing_slash_redirect_stays_on_the_canonical_origin_whatever_the_host(site, host):
    response = site.get("/api/public/?x=1", headers={"host": host, "accept": "application/json"},
                        follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "http://testserver/api/public?x=1"
