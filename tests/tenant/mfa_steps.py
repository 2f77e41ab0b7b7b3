"""Going through the tenant's MFA pages as a browser does, with codes computed as an authenticator app computes them."""

import html
import re
import time

import pyotp
from fastapi.testclient import TestClient

from tests.tenant.conftest import query_of


def secret_on(page: str) -> str:
    """The secret the enrollment page shows as text (without its spaces)."""
    found = re.search(r'id="mfa-secret">([^<]+)<', page)
    assert found, page
    return html.unescape(found.group(1)).replace(" ", "")


def recovery_code_on(page: str) -> str:
    """The recovery code shown once on the page."""
    found = re.search(r'id="recovery-code">([^<]+)<', page)
    assert found, page
    return found.group(1)


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """The app's code now, or (`steps_ahead` 1) the next period's, which the tenant's clock skew also accepts."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def enroll(client: TestClient, location: str) -> tuple[str, str, str]:
    """Enroll on the page the tenant sent the browser to: the secret, the recovery code, and where it goes next."""
    secret, recovery, next_location, _ = enroll_with_first_code(client, location)
    return secret, recovery, next_location


def enroll_with_first_code(client: TestClient, location: str) -> tuple[str, str, str, str]:
    """Enroll as `enroll` does; also the code that confirmed the enrollment (used up from then on)."""
    assert "/u/mfa-otp-enrollment?" in location, location
    state = query_of(location)["state"]
    secret = secret_on(client.get(location).text)
    first_code = code_for(secret)
    shown = client.post("/u/mfa-otp-enrollment", data={"state": state, "code": first_code})
    assert shown.status_code == 200, shown.text
    finished = client.post("/u/mfa-continue", data={"state": state})
    assert finished.status_code == 302, finished.text
    return secret, recovery_code_on(shown.text), finished.headers["location"], first_code


def answer_challenge(client: TestClient, location: str, code: str):
    """Send a code on the challenge page the tenant sent the browser to."""
    assert "/u/mfa-otp-challenge?" in location, location
    return client.post("/u/mfa-otp-challenge", data={"state": query_of(location)["state"], "code": code})
