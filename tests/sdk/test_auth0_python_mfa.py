"""auth0-python's own client classes through Auth0's MFA API for the password grant, against the tenant over https."""

import secrets

import httpx
import pytest
from auth0.authentication import Database, GetToken
from auth0.authentication.base import AuthenticationBase
from auth0.authentication.exceptions import Auth0Error

from tenant.mfa.policy import MFA_POLICY
from tests.api.tokens import API_AUDIENCE
from tests.conftest import claims_of
from tests.https_site import HttpsSite
from tests.sdk.conftest import CALLBACK
from tests.tenant.conftest import sign_in
from tests.tenant.mfa_steps import code_for, enroll

CONNECTION = "Username-Password-Authentication"
MFA_OTP = "http://auth0.com/oauth/grant-type/mfa-otp"
MFA_RECOVERY_CODE = "http://auth0.com/oauth/grant-type/mfa-recovery-code"
PASSWORD = "Mfa-sdk-password-1"


def enrolled_user(site: HttpsSite, sdk_tenant: httpx.Client) -> tuple[str, str, str]:
    """A new user, signed up with auth0-python and enrolled on the login pages: email, app secret, recovery code."""
    email = f"mfa-{secrets.token_hex(4)}@example.com"
    Database(site.domain, "web-app").signup(email, PASSWORD, CONNECTION)
    query = {"response_type": "code", "client_id": "web-app", "redirect_uri": CALLBACK, "scope": "openid",
             "state": "s", "acr_values": MFA_POLICY}
    secret, recovery, _ = enroll(sdk_tenant, sign_in(sdk_tenant, query, email, PASSWORD))
    return email, secret, recovery


def mfa_token_of(client: GetToken, email: str) -> str:
    """The mfa_token auth0-python hands back with the mfa_required error of a password-realm login."""
    with pytest.raises(Auth0Error) as refused:
        client.login(email, PASSWORD, realm=CONNECTION, scope="openid", audience=API_AUDIENCE)
    assert refused.value.status_code == 403 and refused.value.error_code == "mfa_required"
    return refused.value.content["mfa_token"]


def test_auth0_python_finishes_a_password_login_with_the_mfa_otp_grant(trust_sdk_site: HttpsSite,
                                                                       sdk_tenant: httpx.Client) -> None:
    email, secret, _ = enrolled_user(trust_sdk_site, sdk_tenant)
    client = GetToken(trust_sdk_site.domain, "web-app", client_secret="web-app-secret")
    mfa_token = mfa_token_of(client, email)
    api = AuthenticationBase(trust_sdk_site.domain, "web-app")
    listed = api.get(f"https://{trust_sdk_site.domain}/mfa/authenticators",
                     headers={"Authorization": f"Bearer {mfa_token}"})
    assert [a["authenticator_type"] for a in listed] == ["recovery-code", "otp"]
    token_url = f"https://{trust_sdk_site.domain}/oauth/token"
    tokens = client.authenticated_post(token_url, data={"client_id": "web-app", "grant_type": MFA_OTP,
                                                        "mfa_token": mfa_token, "otp": code_for(secret, 1)})
    assert claims_of(tokens["access_token"])["amr"] == ["mfa"]
    with pytest.raises(Auth0Error) as replayed:
        client.authenticated_post(token_url, data={"client_id": "web-app", "grant_type": MFA_OTP,
                                                   "mfa_token": mfa_token_of(client, email),
                                                   "otp": code_for(secret, 1)})
    assert replayed.value.error_code == "invalid_grant"


def test_auth0_python_signs_in_with_the_recovery_code_grant(trust_sdk_site: HttpsSite,
                                                            sdk_tenant: httpx.Client) -> None:
    email, _, recovery = enrolled_user(trust_sdk_site, sdk_tenant)
    client = GetToken(trust_sdk_site.domain, "web-app", client_secret="web-app-secret")
    tokens = client.authenticated_post(f"https://{trust_sdk_site.domain}/oauth/token", data={
        "client_id": "web-app", "grant_type": MFA_RECOVERY_CODE, "mfa_token": mfa_token_of(client, email),
        "recovery_code": recovery})
    assert claims_of(tokens["id_token"])["amr"] == ["mfa"] and tokens["recovery_code"] != recovery
