"""/stepper: the page's starting values for each tenant, and the form_post answers it reads (and what it refuses)."""

import json
import re
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from routers.stepper import MAX_BODY_BYTES, stepper_setup
from settings import Settings
from tests.conftest import builtin_settings


def data_attribute(html: str, name: str) -> dict:
    """A JSON data attribute of the stepper's root element."""
    match = re.search(rf'data-{name}="([^"]*)"', html)
    assert match, f"no data-{name}"
    return json.loads(unescape(match.group(1)))


def test_the_page_starts_from_the_builtin_tenant_and_its_single_page_app(site: TestClient) -> None:
    response = site.get("/stepper")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    setup = data_attribute(response.text, "setup")
    assert setup["client_id"] == "swagger-ui" and setup["kind"] == "spa"
    assert setup["redirect_uri"] == "http://testserver/stepper"
    assert setup["tenant"] == "http://testserver"
    assert "offline_access" in setup["scope"].split()
    assert 'src="/static/stepper.js"' in response.text and "<script>" not in response.text


def test_the_builtin_single_page_app_accepts_the_stepper_as_callback_and_logout_return(site: TestClient) -> None:
    query = {"client_id": "swagger-ui", "response_type": "code", "redirect_uri": "http://testserver/stepper",
             "state": "s", "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
             "code_challenge_method": "S256"}
    answer = site.get("/authorize", params=query, follow_redirects=False)
    assert answer.status_code == 302 and "/u/login?" in answer.headers["location"]
    logout = site.get("/v2/logout", params={"client_id": "swagger-ui", "returnTo": "http://testserver/stepper"},
                      follow_redirects=False)
    assert logout.headers["location"] == "http://testserver/stepper"


def real_tenant(tmp_path: Path, **overrides: object) -> Settings:
    """Settings for a real Auth0 tenant."""
    return builtin_settings(tmp_path, origin="https://playground.example.org", auth0_domain="acme.eu.auth0.com",
                            auth0_client_id="regular-id", auth0_client_secret="s3cret", session_secret="x" * 32,
                            **overrides)


def test_a_real_tenant_is_stepped_through_with_its_single_page_app(tmp_path: Path) -> None:
    setup = stepper_setup(real_tenant(tmp_path, auth0_swagger_client_id="spa-id"))
    assert setup["tenant"] == "https://acme.eu.auth0.com" and setup["builtin"] is False
    assert setup["client_id"] == "spa-id" and setup["kind"] == "spa"
    assert setup["redirect_uri"] == "https://playground.example.org/stepper"


def test_without_a_single_page_app_the_regular_web_app_is_named_and_its_secret_never_sent(tmp_path: Path) -> None:
    setup = stepper_setup(real_tenant(tmp_path))
    assert setup["client_id"] == "regular-id" and setup["kind"] == "regular_web"
    assert "s3cret" not in json.dumps(setup)


def test_a_posted_answer_is_read_and_nothing_else_is_kept(site: TestClient) -> None:
    response = site.post("/stepper", data={"code": "abc", "state": "xyz", "other": "<script>"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert data_attribute(response.text, "posted") == {"code": "abc", "state": "xyz"}


@pytest.mark.parametrize("body, content_type", [
    ('{"code": "abc"}', "application/json"),
    ("--b\r\nContent-Disposition: form-data; name=code\r\n\r\nabc\r\n--b--\r\n", "multipart/form-data; boundary=b"),
])
def test_anything_but_a_form_is_a_clear_400(site: TestClient, body: str, content_type: str) -> None:
    response = site.post("/stepper", content=body, headers={"content-type": content_type, "accept": "text/html"})
    assert response.status_code == 400
    assert "response_mode=form_post" in response.text


def test_too_many_fields_is_a_clear_400(site: TestClient) -> None:
    response = site.post("/stepper", data={f"f{number}": "x" for number in range(100)})
    assert response.status_code == 400


def test_a_body_over_the_limit_is_413(site: TestClient) -> None:
    response = site.post("/stepper", data={"code": "x" * (MAX_BODY_BYTES + 1)})
    assert response.status_code == 413
