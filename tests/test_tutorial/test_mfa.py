"""Step 19's example: a password login that answers mfa_required, finished with the app's code; amr says mfa."""

import httpx
import pytest

from tests.tenant.conftest import code_params, past_consent, pkce_pair, sign_in
from tests.tenant.mfa_steps import code_for, enroll
from tests.test_tutorial.conftest import API_AUDIENCE
from tutorials.mfa.password_login_with_mfa import (
    MfaRequired, claims_of, finish_with_code, logged_in_with_mfa, password_login,
)

MFA_POLICY = "http://schemas.openid.net/pape/policies/2007/06/multi-factor"
WEB_APP = {"client_id": "web-app", "client_secret": "web-app-secret"}
PASSWORD = "Step-19-password-9"


def enrolled(live_server: str, email: str) -> str:
    """Sign up, then enroll on the login pages by asking for MFA with acr_values: the app's secret."""
    with httpx.Client(base_url=live_server, follow_redirects=False, timeout=10) as browser:
        assert browser.post("/dbconnections/signup", json={
            "client_id": "web-app", "email": email, "password": PASSWORD,
            "connection": "Username-Password-Authentication"}).status_code == 200
        _, challenge = pkce_pair()
        params = code_params(code_challenge=challenge, code_challenge_method="S256", acr_values=MFA_POLICY,
                             redirect_uri=f"{live_server}/docs/oauth2-redirect")
        secret, _, _ = enroll(browser, past_consent(browser, sign_in(browser, params, email, PASSWORD)))
        return secret


def test_an_enrolled_user_finishes_with_a_code_and_amr_says_mfa(live_server: str) -> None:
    email = "step19@example.com"
    secret = enrolled(live_server, email)
    with httpx.Client(timeout=10) as client:
        with pytest.raises(MfaRequired) as needed:
            password_login(client, live_server, WEB_APP, email, PASSWORD, API_AUDIENCE)
        tokens = finish_with_code(client, live_server, WEB_APP, needed.value.mfa_token, code_for(secret, 1))
    assert logged_in_with_mfa(claims_of(tokens["id_token"]))


def test_a_user_without_mfa_gets_tokens_at_once_and_no_amr(live_server: str) -> None:
    with httpx.Client(timeout=10) as client:
        tokens = password_login(client, live_server, WEB_APP, "alice@example.com", "alice-demo-1", API_AUDIENCE)
    assert not logged_in_with_mfa(claims_of(tokens["id_token"]))


def test_a_wrong_code_is_refused(live_server: str) -> None:
    email = "step19-wrong@example.com"
    enrolled(live_server, email)
    with httpx.Client(timeout=10) as client:
        with pytest.raises(MfaRequired) as needed:
            password_login(client, live_server, WEB_APP, email, PASSWORD, API_AUDIENCE)
        with pytest.raises(httpx.HTTPStatusError) as refused:
            finish_with_code(client, live_server, WEB_APP, needed.value.mfa_token, "000000")
    assert refused.value.response.status_code == 403
