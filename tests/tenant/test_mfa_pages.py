"""MFA with an authenticator app on the tenant's login pages: enrollment, codes once each, lockout, amr and acr."""

import base64
import json

import pytest

from tenant.mfa.policy import MFA_POLICY
from tests.tenant.conftest import (
    SWAGGER_CALLBACK, code_params, pkce_pair, query_of, sign_in,
)
from tests.tenant.mfa_steps import answer_challenge, code_for, enroll, enroll_with_first_code

EMAIL, PASSWORD = "mfa-user@example.com", "Mfa-user-password-1"


def signed_up(tenant) -> None:
    """A new user of the database connection."""
    response = tenant.post("/dbconnections/signup", json={"client_id": "web-app", "email": EMAIL,
                                                           "password": PASSWORD, "connection": "Username-Password-Authentication"})
    assert response.status_code == 200, response.text


def jwt_claims(token: str) -> dict:
    """The payload of a compact JWS (its signature is checked by the tenant's other tests)."""
    segment = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def exchange(tenant, location: str, verifier: str) -> dict:
    """Trade the code at the callback for tokens."""
    assert location.startswith(SWAGGER_CALLBACK), location
    response = tenant.post("/oauth/token", data={
        "grant_type": "authorization_code", "client_id": "swagger-ui", "code": query_of(location)["code"],
        "redirect_uri": SWAGGER_CALLBACK, "code_verifier": verifier})
    assert response.status_code == 200, response.text
    return response.json()


def login_with_mfa_asked(tenant, **extra: str) -> tuple[str, str]:
    """Sign in with acr_values asking for MFA: where the login form sends the browser, and the PKCE verifier."""
    verifier, challenge = pkce_pair()
    params = code_params(code_challenge=challenge, code_challenge_method="S256", **extra)
    return sign_in(tenant, params, EMAIL, PASSWORD), verifier


def enrolled_user(tenant) -> tuple[str, str]:
    """A new user enrolled through acr_values: the app's secret and the recovery code."""
    secret, recovery, _ = enrolled_user_and_first_code(tenant)
    return secret, recovery


def enrolled_user_and_first_code(tenant) -> tuple[str, str, str]:
    """A new user enrolled through acr_values: the secret, the recovery code and the code that confirmed it."""
    signed_up(tenant)
    location, _ = login_with_mfa_asked(tenant, acr_values=MFA_POLICY)
    secret, recovery, _, first_code = enroll_with_first_code(tenant, location)
    tenant.cookies.clear()
    return secret, recovery, first_code


def test_acr_values_enrolls_the_user_and_the_tokens_say_mfa(tenant):
    signed_up(tenant)
    location, verifier = login_with_mfa_asked(tenant, acr_values=MFA_POLICY)
    page = tenant.get(location)
    assert page.status_code == 200
    # The QR code, drawn by the tenant as an SVG a browser shows as an image (with its namespace).
    assert 'src="data:image/svg+xml;charset=utf-8,%3Csvg%20xmlns%3D%27http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%27' in page.text
    _, recovery, location = enroll(tenant, location)
    assert len(recovery) == 24
    tokens = exchange(tenant, location, verifier)
    id_claims, access_claims = jwt_claims(tokens["id_token"]), jwt_claims(tokens["access_token"])
    assert id_claims["amr"] == ["mfa"] and id_claims["acr"] == MFA_POLICY
    assert access_claims["amr"] == ["mfa"] and access_claims["acr"] == MFA_POLICY


def test_a_login_without_mfa_has_no_amr_and_demo_users_are_not_asked(tenant):
    verifier, challenge = pkce_pair()
    location = sign_in(tenant, code_params(code_challenge=challenge, code_challenge_method="S256"),
                       "alice@example.com", "alice-demo-1")
    id_claims = jwt_claims(exchange(tenant, location, verifier)["id_token"])
    assert "amr" not in id_claims and "acr" not in id_claims


def test_an_enrolled_user_is_asked_for_a_code_at_every_login(tenant):
    secret, _ = enrolled_user(tenant)
    location, verifier = login_with_mfa_asked(tenant)
    assert "/u/mfa-otp-challenge?" in location
    assert "one-time code" in tenant.get(location).text
    passed = answer_challenge(tenant, location, code_for(secret, steps_ahead=1))
    assert passed.status_code == 302
    id_claims = jwt_claims(exchange(tenant, passed.headers["location"], verifier)["id_token"])
    assert id_claims["amr"] == ["mfa"] and "acr" not in id_claims  # no policy was asked for


def test_a_code_works_once(tenant):
    secret, _, first_code = enrolled_user_and_first_code(tenant)
    location, _ = login_with_mfa_asked(tenant)
    replayed = answer_challenge(tenant, location, first_code)
    assert replayed.status_code == 400
    assert "already used" in replayed.text
    assert answer_challenge(tenant, location, code_for(secret, steps_ahead=1)).status_code == 302


def test_silent_authentication_after_an_mfa_login_keeps_amr(tenant):
    signed_up(tenant)
    location, _ = login_with_mfa_asked(tenant, acr_values=MFA_POLICY)
    enroll(tenant, location)
    verifier, challenge = pkce_pair()
    silent = tenant.get("/authorize", params=code_params(code_challenge=challenge, code_challenge_method="S256",
                                                          prompt="none"))
    assert silent.status_code == 302
    assert jwt_claims(exchange(tenant, silent.headers["location"], verifier)["id_token"])["amr"] == ["mfa"]


def test_silent_authentication_before_the_second_factor_needs_interaction(tenant):
    secret, _ = enrolled_user(tenant)
    location, _ = login_with_mfa_asked(tenant)
    assert "/u/mfa-otp-challenge?" in location  # password given, code not yet
    _, challenge = pkce_pair()
    silent = tenant.get("/authorize", params=code_params(code_challenge=challenge, code_challenge_method="S256",
                                                          prompt="none"))
    assert query_of(silent.headers["location"])["error"] == "interaction_required"


def test_wrong_codes_count_toward_the_lockout(tenant):
    secret, _ = enrolled_user(tenant)
    location, _ = login_with_mfa_asked(tenant)
    right = code_for(secret, steps_ahead=1)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(10):
        assert answer_challenge(tenant, location, wrong).status_code == 400
    locked = answer_challenge(tenant, location, right)
    assert locked.status_code == 429
    assert "blocked" in locked.text


def test_a_recovery_code_signs_in_once_and_a_new_one_is_shown(tenant):
    _, recovery = enrolled_user(tenant)
    location, _ = login_with_mfa_asked(tenant)
    state = query_of(location)["state"]
    used = tenant.post("/u/mfa-otp-challenge", data={"state": state, "recovery_code": recovery})
    assert used.status_code == 200 and recovery not in used.text
    assert tenant.post("/u/mfa-continue", data={"state": state}).status_code == 302
    tenant.cookies.clear()
    location, _ = login_with_mfa_asked(tenant)
    again = tenant.post("/u/mfa-otp-challenge", data={"state": query_of(location)["state"], "recovery_code": recovery})
    assert again.status_code == 400


@pytest.mark.parametrize("form", [{}, {"code": "x" * 5000}, {"code": "12345a"}, {"state": "nope", "code": "123456"}])
def test_bad_challenge_forms_are_refused_with_a_4xx(tenant, form):
    enrolled_user(tenant)
    location, _ = login_with_mfa_asked(tenant)
    data = {"state": query_of(location)["state"], **form}
    response = tenant.post("/u/mfa-otp-challenge", data=data)
    assert 400 <= response.status_code < 500


def test_an_mfa_page_of_another_browser_is_refused(tenant):
    enrolled_user(tenant)
    location, _ = login_with_mfa_asked(tenant)
    tenant.cookies.clear()
    assert tenant.get(location).status_code == 400
