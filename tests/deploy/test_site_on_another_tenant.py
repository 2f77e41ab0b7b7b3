"""The real-tenant path without Auth0: site B runs with AUTH0_DOMAIN set to site A's built-in tenant, over real
HTTP, as an instructor would try it: web login, Swagger sign-in, sign-up, tokens, API calls and key rotation."""

import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.tenant_login import sign_in_on_tenant_page
from tests.browser.test_stepper import log_in_through_stepper, response_json, send
from tests.browser.test_swagger_sign_in import PKCE, call_from_swagger, sign_in_from_swagger
from tests.conftest import ROOT, claims_of, free_port, header_of, start_server, stop_server
from tests.local_server import HOST
from tokens.verification import REMOTE_REFRESH_INTERVAL_SECONDS


@dataclass(frozen=True)
class Sites:
    """Site A (whose tenant is used), site B (configured as for a real tenant) and A's data folder."""

    a: str
    b: str
    a_data: object


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Iterator[Sites]:
    """Start A with B's URLs allowed on its tenant, then B pointed at A's tenant."""
    port_a, port_b = free_port(), free_port()
    # Two host names, as two deployments would have: cookies are per host, not per port.
    a, b = f"http://{HOST}:{port_a}", f"http://localhost:{port_b}"
    a_data = tmp_path_factory.mktemp("site-a")
    site_a = start_server(a_data, port_a, extra_env={
        "TENANT_EXTRA_CALLBACK_URLS": f"{b}/auth/callback,{b}/docs/oauth2-redirect,{b}/stepper",
        "TENANT_EXTRA_LOGOUT_URLS": f"{b},{b}/stepper", "TENANT_EXTRA_WEB_ORIGINS": b})
    site_b = start_server(tmp_path_factory.mktemp("site-b"), port_b, extra_env={
        "AUTH0_DOMAIN": f"{a}", "AUTH0_CLIENT_ID": "web-app", "AUTH0_CLIENT_SECRET": "web-app-secret",
        "AUTH0_SWAGGER_CLIENT_ID": "swagger-ui", "SESSION_SECRET": "b" * 40, "PUBLIC_URL": b})
    yield Sites(a, b, a_data)
    stop_server(site_b)
    stop_server(site_a)


def token_from_b(sites: Sites, email: str, password: str) -> str:
    """An access token through B's password-grant API (which asks A's tenant)."""
    answer = httpx.post(f"{sites.b}/auth/token", json={"email": email, "password": password}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


def test_b_has_no_tenant_of_its_own(sites):
    assert httpx.get(f"{sites.b}/.well-known/openid-configuration").status_code == 404
    assert f"{sites.a}" in httpx.get(f"{sites.b}/").text


def test_web_login_on_b_through_a(page: Page, sites):
    page.goto(f"{sites.b}/auth/login")
    expect(page).to_have_url(re.compile(rf"^{re.escape(sites.a)}/u/login\?"))
    sign_in_on_tenant_page(page, "alice@example.com", "alice-demo-1")
    expect(page).to_have_url(f"{sites.b}/profile")
    expect(page.locator("#id-token-claims")).to_contain_text(f'"iss": "{sites.a}/"')
    page.locator(".profile").get_by_role("link", name="Log out").click()
    expect(page).to_have_url(f"{sites.b}/")


def test_swagger_sign_in_on_b_through_a(page: Page, sites):
    sign_in_from_swagger(page, sites.b, PKCE, "alice")
    status, body = call_from_swagger(page, "get_scoped_api_scoped_get")
    assert status == 200, body


def test_the_stepper_on_b_talks_to_a_directly(page: Page, sites):
    log_in_through_stepper(page, sites.b)
    expect(page.locator("[data-stepper-answer-raw]")).to_contain_text(f"Location: {sites.b}/stepper?code=")
    token = send(page, "token")
    expect(token.locator("[data-stepper-request]")).to_contain_text(f"Host: {sites.a.split('://')[1]}")
    assert claims_of(response_json(token)["id_token"])["iss"] == f"{sites.a}/"
    assert response_json(send(page, "userinfo"))["email"] == "alice@example.com"


def test_sign_up_token_and_api_calls_on_b(sites):
    email = f"b-{uuid.uuid4().hex[:8]}@example.com"
    created = httpx.post(f"{sites.b}/auth/signup", json={"email": email, "password": "B-site-pass-1"}, timeout=10)
    assert created.status_code == 201, created.text
    token = token_from_b(sites, email, "B-site-pass-1")
    assert claims_of(token)["iss"] == f"{sites.a}/"
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{sites.b}/api/secure", headers=headers).status_code == 200
    assert httpx.get(f"{sites.b}/api/scoped", headers=headers).status_code == 403
    alice = {"Authorization": f"Bearer {token_from_b(sites, 'alice@example.com', 'alice-demo-1')}"}
    assert httpx.get(f"{sites.b}/api/scoped", headers=alice).status_code == 200


def test_key_rotation_at_a_is_picked_up_by_b(sites):
    old_kid = header_of(token_from_b(sites, "alice@example.com", "alice-demo-1"))["kid"]
    subprocess.run([sys.executable, "-m", "tenant", "rotate-key", "--data-dir", str(sites.a_data)], cwd=ROOT,
                   check=True, capture_output=True)
    deadline = time.monotonic() + 20
    token = ""
    while time.monotonic() < deadline:
        token = token_from_b(sites, "alice@example.com", "alice-demo-1")
        if header_of(token)["kid"] != old_kid:
            break
        time.sleep(0.5)
    assert header_of(token)["kid"] != old_kid
    # B refreshes A's keys on an unknown kid at most every few seconds: the new key is accepted within that.
    deadline = time.monotonic() + 3 * REMOTE_REFRESH_INTERVAL_SECONDS
    answer = httpx.get(f"{sites.b}/api/secure", headers={"Authorization": f"Bearer {token}"})
    while answer.status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
        answer = httpx.get(f"{sites.b}/api/secure", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
