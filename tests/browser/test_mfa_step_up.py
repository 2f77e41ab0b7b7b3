"""MFA in a real Chromium: enroll an authenticator app, log in with a TOTP code, and call the step-up endpoint."""

import re
import time
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pyotp
from playwright.sync_api import Page, expect

from tests.browser.tenant_login import sign_in_on_tenant_page
from tests.conftest import claims_of
from tests.tenant.conftest import pkce_pair

API = "https://playground/api"
MFA_POLICY = "http://schemas.openid.net/pape/policies/2007/06/multi-factor"
PASSWORD = "Mfa-browser-demo-7"


def codes_around_now(secret: str) -> set[str]:
    """The codes of the periods just before, at and after now (the page may have computed any of them)."""
    return {pyotp.TOTP(secret).at(time.time() + 30 * step) for step in (-1, 0, 1)}


def log_in(page: Page, site: str, email: str, **extra: str) -> tuple[str, str]:
    """Start Swagger UI's authorization code flow with PKCE in the browser; sign in; the verifier and the URL."""
    verifier, challenge = pkce_pair()
    query = {"response_type": "code", "client_id": "swagger-ui", "redirect_uri": f"{site}/docs/oauth2-redirect",
             "scope": "openid profile", "audience": API, "state": "s", "code_challenge": challenge,
             "code_challenge_method": "S256", **extra}
    page.goto(f"{site}/authorize?{urlencode(query)}")
    sign_in_on_tenant_page(page, email, PASSWORD)
    return verifier, page.url


def access_token(site: str, callback_url: str, verifier: str) -> str:
    """What Swagger UI does at its callback: trade the code for tokens."""
    code = parse_qs(urlsplit(callback_url).query)["code"][0]
    answer = httpx.post(f"{site}/oauth/token", data={
        "grant_type": "authorization_code", "client_id": "swagger-ui", "code": code, "code_verifier": verifier,
        "redirect_uri": f"{site}/docs/oauth2-redirect"})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def transfer(site: str, token: str) -> httpx.Response:
    """POST /api/transfer with the token."""
    return httpx.post(f"{site}/api/transfer", json={"amount": 10, "to": "savings"},
                      headers={"Authorization": f"Bearer {token}"})


def test_enroll_log_in_with_a_code_and_step_up(page: Page, live_server: str) -> None:
    email = f"mfa-{uuid.uuid4().hex[:8]}@example.com"
    assert httpx.post(f"{live_server}/dbconnections/signup", json={
        "client_id": "web-app", "email": email, "password": PASSWORD,
        "connection": "Username-Password-Authentication"}).status_code == 200
    callback = re.compile(re.escape(f"{live_server}/docs/oauth2-redirect") + r"\?code=")

    # A login without MFA: the step-up endpoint says how to step up.
    verifier, _ = log_in(page, live_server, email)
    page.wait_for_url(callback)
    refused = transfer(live_server, access_token(live_server, page.url, verifier))
    assert refused.status_code == 401
    assert f'acr_values="{MFA_POLICY}"' in refused.headers["www-authenticate"]
    assert 'error="insufficient_user_authentication"' in refused.headers["www-authenticate"]

    # Step up: acr_values asks for MFA; the user enrolls with the QR code's secret, typed by hand.
    verifier, _ = log_in(page, live_server, email, acr_values=MFA_POLICY, prompt="login")
    expect(page).to_have_url(re.compile(r"/u/mfa-otp-enrollment\?"))
    qr_code = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("image => image.complete && image.naturalWidth") > 0  # drawn, not a broken image
    secret = page.locator("#mfa-secret").inner_text().replace(" ", "")
    first_code = pyotp.TOTP(secret).now()
    page.get_by_label("Enter your one-time code").fill(first_code)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#recovery-code")).to_have_text(re.compile(r"^[A-Z0-9]{24}$"))
    page.get_by_role("button", name="I have safely recorded this code").click()
    page.wait_for_url(callback)
    token = access_token(live_server, page.url, verifier)
    assert claims_of(token)["amr"] == ["mfa"] and claims_of(token)["acr"] == MFA_POLICY
    accepted = transfer(live_server, token)
    assert accepted.status_code == 200, accepted.text

    # The teaching authenticator computes the app's code in the browser.
    page.goto(f"{live_server}/authenticator")
    page.get_by_label("Secret (base32)").fill(secret)
    shown = page.locator("[data-authenticator-code]")
    expect(shown).to_have_text(re.compile(r"^[0-9]{6}$"))
    assert shown.inner_text() in codes_around_now(secret)

    # Enrolled: the next login asks for a code; the one already used is refused, the next period's works.
    page.context.clear_cookies()
    verifier, _ = log_in(page, live_server, email)
    expect(page).to_have_url(re.compile(r"/u/mfa-otp-challenge\?"))
    page.get_by_label("Enter your one-time code").fill(first_code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("already used")
    page.get_by_label("Enter your one-time code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(callback)
    assert transfer(live_server, access_token(live_server, page.url, verifier)).status_code == 200
