"""Auth0's MFA API for the password grant: mfa_required, /mfa/authenticators, /mfa/associate, /mfa/challenge, and
the mfa-otp and mfa-recovery-code grants."""

import pytest

from tenant.mfa.tokens import issue_mfa_token
from tests.tenant.conftest import API, WEB_APP
from tests.tenant.mfa_steps import code_for
from tests.tenant.test_mfa_pages import (
    EMAIL, PASSWORD, enrolled_user, enrolled_user_and_first_code, jwt_claims, signed_up,
)

MFA_OTP = "http://auth0.com/oauth/grant-type/mfa-otp"
MFA_RECOVERY_CODE = "http://auth0.com/oauth/grant-type/mfa-recovery-code"


def password_login(tenant):
    """The password grant for the MFA test user."""
    return tenant.post("/oauth/token", data={"grant_type": "password", "username": EMAIL, "password": PASSWORD,
                                             "audience": API, "scope": "openid profile", **WEB_APP})


def mfa_token(tenant) -> str:
    """The mfa_token of a password login that needs MFA."""
    answer = password_login(tenant)
    assert answer.status_code == 403, answer.text
    body = answer.json()
    assert body["error"] == "mfa_required" and body["error_description"] == "Multifactor authentication required"
    return body["mfa_token"]


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of the MFA API."""
    return {"Authorization": f"Bearer {token}"}


def otp_grant(tenant, token: str, otp: str):
    """The mfa-otp grant."""
    return tenant.post("/oauth/token", data={"grant_type": MFA_OTP, "mfa_token": token, "otp": otp, **WEB_APP})


def test_the_password_grant_of_an_enrolled_user_answers_mfa_required_and_the_otp_grant_finishes_it(tenant):
    secret, _ = enrolled_user(tenant)
    token = mfa_token(tenant)
    listed = tenant.get("/mfa/authenticators", headers=bearer(token)).json()
    assert {"authenticator_type": "otp", "active": True} in [{k: a[k] for k in ("authenticator_type", "active")}
                                                             for a in listed]
    assert tenant.post("/mfa/challenge", data={"mfa_token": token, "challenge_type": "otp",
                                               **WEB_APP}).json() == {"challenge_type": "otp"}
    answer = otp_grant(tenant, token, code_for(secret, steps_ahead=1))
    assert answer.status_code == 200, answer.text
    assert jwt_claims(answer.json()["access_token"])["amr"] == ["mfa"]
    assert jwt_claims(answer.json()["id_token"])["amr"] == ["mfa"]
    assert otp_grant(tenant, token, code_for(secret, steps_ahead=1)).json()["error"] == "invalid_grant"  # used up


def test_an_otp_code_is_refused_the_second_time(tenant):
    _, _, first_code = enrolled_user_and_first_code(tenant)
    replayed = otp_grant(tenant, mfa_token(tenant), first_code)
    assert replayed.status_code == 403
    assert replayed.json() == {"error": "invalid_grant", "error_description": "Invalid otp_code."}


def test_wrong_otp_codes_lock_the_account(tenant):
    secret, _ = enrolled_user(tenant)
    token = mfa_token(tenant)
    for _ in range(10):
        assert otp_grant(tenant, token, "000000").status_code == 403
    locked = otp_grant(tenant, token, code_for(secret, steps_ahead=1))
    assert locked.status_code == 429 and locked.json()["error"] == "too_many_attempts"


def test_the_recovery_code_grant_answers_with_a_new_recovery_code(tenant):
    _, recovery = enrolled_user(tenant)
    data = {"grant_type": MFA_RECOVERY_CODE, "mfa_token": mfa_token(tenant), "recovery_code": recovery, **WEB_APP}
    answer = tenant.post("/oauth/token", data=data)
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["recovery_code"]) == 24 and answer.json()["recovery_code"] != recovery
    again = tenant.post("/oauth/token", data={**data, "mfa_token": mfa_token(tenant)})
    assert again.json()["error_description"] == "Invalid recovery code."


def test_associate_enrolls_an_app_that_the_first_otp_confirms(tenant):
    signed_up(tenant)
    assert password_login(tenant).status_code == 200  # not enrolled: no second factor asked
    store = tenant.app.state.builtin_tenant.tenant.store
    user_id = store.user_by_email(EMAIL).id
    # What a login an Action asks MFA for would hand the client.
    token = issue_mfa_token(store, {"user_id": user_id, "client_id": "web-app", "audience": API, "scope": "openid",
                                    "auth_time": 0})
    assert tenant.get("/mfa/authenticators", headers=bearer(token)).json() == []
    enrollment = tenant.post("/mfa/associate", headers=bearer(token), json={"authenticator_types": ["otp"]}).json()
    assert enrollment["authenticator_type"] == "otp" and enrollment["barcode_uri"].startswith("otpauth://totp/")
    assert len(enrollment["recovery_codes"]) == 1
    assert otp_grant(tenant, token, code_for(enrollment["secret"])).status_code == 200
    assert tenant.post("/mfa/associate", headers=bearer(mfa_token(tenant)),
                       json={"authenticator_types": ["otp"]}).json()["error_description"] == "User is already enrolled."


def test_new_enrollments_are_bounded(tenant):
    signed_up(tenant)
    store = tenant.app.state.builtin_tenant.tenant.store
    token = issue_mfa_token(store, {"user_id": store.user_by_email(EMAIL).id, "client_id": "web-app",
                                    "audience": API, "scope": "openid", "auth_time": 0})
    answers = [tenant.post("/mfa/associate", headers=bearer(token), json={"authenticator_types": ["otp"]})
               for _ in range(11)]
    assert [a.status_code for a in answers] == [200] * 10 + [429]


@pytest.mark.parametrize("request_args", [
    {"method": "GET", "url": "/mfa/authenticators"},
    {"method": "GET", "url": "/mfa/authenticators", "headers": {"Authorization": "Bearer not-a-token"}},
    {"method": "POST", "url": "/mfa/associate", "headers": {"Authorization": "Bearer x"}, "content": b"{"},
    {"method": "POST", "url": "/mfa/challenge", "data": {"mfa_token": "nope", "client_id": "web-app"}},
    {"method": "POST", "url": "/mfa/challenge", "content": b"\xff", "headers": {"Content-Type": "text/plain"}},
    {"method": "POST", "url": "/oauth/token", "data": {"grant_type": MFA_OTP, "otp": "123456", **WEB_APP}},
    {"method": "POST", "url": "/oauth/token", "data": {"grant_type": MFA_OTP, "mfa_token": "x" * 5000, "otp": "1",
                                                       **WEB_APP}},
    {"method": "POST", "url": "/oauth/token", "data": {"grant_type": MFA_OTP, "mfa_token": "a", "otp": "1",
                                                       "client_id": "m2m", "client_secret": "m2m-secret"}},
])
def test_bad_mfa_requests_get_a_4xx(tenant, request_args):
    response = tenant.request(**request_args)
    assert 400 <= response.status_code < 500, response.text
    assert "error" in response.json()


def test_associate_needs_otp(tenant):
    enrolled_user(tenant)
    token = mfa_token(tenant)
    refused = tenant.post("/mfa/associate", headers=bearer(token), json={"authenticator_types": ["oob"]})
    assert refused.status_code == 400
