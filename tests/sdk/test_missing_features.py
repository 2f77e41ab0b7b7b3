"""What Auth0's SDKs meet when they call a feature this tenant does not have: Auth0's refusal, never a 500."""

import json

import httpx
import pytest
from auth0.authentication import GetToken, Passwordless
from auth0.authentication.back_channel_login import BackChannelLogin
from auth0.authentication.pushed_authorization_requests import PushedAuthorizationRequests
from auth0.authentication.exceptions import Auth0Error
from auth0_api_python import ApiClient, ApiClientOptions
from auth0_api_python.errors import ApiError

from tests.api.tokens import API_AUDIENCE, password_grant
from tests.https_site import HttpsSite
from tests.sdk.conftest import CALLBACK
from tests.event_loops import run_on_a_thread

WEB_APP = {"client_id": "web-app", "client_secret": "web-app-secret"}


def refused(call) -> Auth0Error:
    """The Auth0Error an auth0-python call raises."""
    with pytest.raises(Auth0Error) as caught:
        call()
    return caught.value


def test_pushed_authorization_requests_are_off(trust_sdk_site: HttpsSite, sdk_tenant: httpx.Client) -> None:
    par = PushedAuthorizationRequests(trust_sdk_site.domain, **WEB_APP)
    error = refused(lambda: par.pushed_authorization_request(response_type="code", redirect_uri=CALLBACK))
    assert (error.status_code, error.error_code) == (403, "unauthorized_client")
    assert "pushed_authorization_request_endpoint" not in sdk_tenant.get("/.well-known/openid-configuration").json()


def test_ciba_is_not_allowed_for_the_client(trust_sdk_site: HttpsSite) -> None:
    ciba = BackChannelLogin(trust_sdk_site.domain, **WEB_APP)
    hint = json.dumps({"format": "iss_sub", "iss": f"{trust_sdk_site.origin}/", "sub": "auth0|alice"})
    error = refused(lambda: ciba.back_channel_login(binding_message="Approve 42", login_hint=hint, scope="openid"))
    assert (error.status_code, error.error_code) == (403, "unauthorized_client")
    polled = refused(lambda: GetToken(trust_sdk_site.domain, **WEB_APP).backchannel_login("some-request"))
    assert (polled.status_code, polled.error_code) == (403, "unauthorized_client")
    assert "urn:openid:params:grant-type:ciba" in polled.message


def test_passwordless_has_no_connection(trust_sdk_site: HttpsSite) -> None:
    error = refused(lambda: Passwordless(trust_sdk_site.domain, **WEB_APP).email("alice@example.com", send="code"))
    assert (error.status_code, error.error_code, error.message) == (400, "bad.connection", "Connection does not exist")
    login = refused(lambda: GetToken(trust_sdk_site.domain, **WEB_APP).passwordless_login(
        "alice@example.com", "123456", realm="email", scope="openid", audience=API_AUDIENCE))
    assert (login.status_code, login.error_code) == (403, "unauthorized_client")


def test_token_vault_exchange_is_not_allowed_for_the_client(trust_sdk_site: HttpsSite,
                                                           sdk_tenant: httpx.Client) -> None:
    token = password_grant(sdk_tenant, "alice")["access_token"]
    error = refused(lambda: GetToken(trust_sdk_site.domain, **WEB_APP).access_token_for_connection(
        subject_token_type="urn:ietf:params:oauth:token-type:access_token", subject_token=token,
        requested_token_type="http://auth0.com/oauth/token-type/federated-connection-access-token",
        connection="google-oauth2"))
    assert (error.status_code, error.error_code) == (403, "unauthorized_client")


def test_custom_token_exchange_is_not_allowed_for_the_client(trust_sdk_site: HttpsSite) -> None:
    api_client = ApiClient(ApiClientOptions(domain=trust_sdk_site.domain, audience=API_AUDIENCE, **WEB_APP))
    with pytest.raises(ApiError) as caught:
        run_on_a_thread(api_client.get_token_by_exchange_profile(subject_token="legacy-session-42",
                                                             subject_token_type="urn:example:legacy-token"))
    assert (caught.value.get_status_code(), caught.value.get_error_code()) == (403, "unauthorized_client")


def test_a_dpop_proof_is_refused_rather_than_ignored(sdk_tenant: httpx.Client) -> None:
    answer = sdk_tenant.post("/oauth/token", headers={"DPoP": "eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.c2ln"}, data={
        "grant_type": "client_credentials", "client_id": "m2m", "client_secret": "m2m-secret",
        "audience": API_AUDIENCE})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_dpop_proof"


def test_the_my_account_api_is_not_a_service_of_this_tenant(trust_sdk_site: HttpsSite,
                                                            sdk_tenant: httpx.Client) -> None:
    answer = sdk_tenant.post("/oauth/token", data={
        "grant_type": "password", "username": "alice@example.com", "password": "alice-demo-1",
        "audience": f"{trust_sdk_site.origin}/me/", "scope": "openid", **WEB_APP})
    assert answer.status_code == 403, answer.text
    assert answer.json() == {"error": "access_denied",
                             "error_description": f"Service not found: {trust_sdk_site.origin}/me/"}
