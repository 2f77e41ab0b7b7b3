"""auth0-python's Authentication API, as its README uses it, against the tenant over https: every call it supports."""

import secrets

import httpx
import pytest
from auth0.authentication import Database, GetToken, RevokeToken, Users
from auth0.authentication.exceptions import Auth0Error
from auth0.authentication.token_verifier import AsymmetricSignatureVerifier, TokenVerifier

from tests.api.tokens import API_AUDIENCE
from tests.conftest import claims_of
from tests.https_site import HttpsSite
from tests.sdk.conftest import CALLBACK, authorization_code
from tests.tenant.conftest import pkce_pair

CONNECTION = "Username-Password-Authentication"


def web_app(site: HttpsSite) -> GetToken:
    """auth0-python's token client for the web app."""
    return GetToken(site.domain, "web-app", client_secret="web-app-secret")


def test_password_realm_login_gives_an_id_token_the_token_verifier_accepts_with_max_age(
        trust_sdk_site: HttpsSite) -> None:
    token = web_app(trust_sdk_site).login("alice@example.com", "alice-demo-1", realm=CONNECTION, scope="openid",
                                          audience=API_AUDIENCE)
    issuer = f"{trust_sdk_site.origin}/"
    verifier = TokenVerifier(signature_verifier=AsymmetricSignatureVerifier(f"{issuer}.well-known/jwks.json"),
                             issuer=issuer, audience="web-app")
    claims = verifier.verify(token["id_token"], max_age=300)
    assert isinstance(claims["auth_time"], int) and claims["sub"].startswith("auth0|")


def test_password_login_without_a_realm(trust_sdk_site: HttpsSite) -> None:
    token = web_app(trust_sdk_site).login("bob@example.com", "bob-demo-1", scope="openid", audience=API_AUDIENCE,
                                          grant_type="password")
    assert claims_of(token["access_token"])["aud"][0] == API_AUDIENCE


def test_client_credentials(trust_sdk_site: HttpsSite) -> None:
    token = GetToken(trust_sdk_site.domain, "m2m", client_secret="m2m-secret").client_credentials(API_AUDIENCE)
    assert token["token_type"] == "Bearer" and claims_of(token["access_token"])["sub"] == "m2m@clients"


def test_authorization_code(trust_sdk_site: HttpsSite, sdk_tenant: httpx.Client) -> None:
    code = authorization_code(sdk_tenant, "alice")
    token = web_app(trust_sdk_site).authorization_code(code, CALLBACK)
    assert claims_of(token["id_token"])["aud"] == "web-app"


def test_authorization_code_with_pkce_for_a_public_client(trust_sdk_site: HttpsSite, sdk_tenant: httpx.Client) -> None:
    verifier, challenge = pkce_pair()
    redirect_uri = f"{trust_sdk_site.origin}/docs/oauth2-redirect"
    code = authorization_code(sdk_tenant, "alice", client_id="swagger-ui", redirect_uri=redirect_uri,
                              code_challenge=challenge, code_challenge_method="S256")
    token = GetToken(trust_sdk_site.domain, "swagger-ui").authorization_code_pkce(verifier, code, redirect_uri)
    assert "read:messages" in claims_of(token["access_token"])["scope"].split()


def test_a_confidential_clients_pkce_exchange_without_its_secret_is_unauthorized(trust_sdk_site: HttpsSite,
                                                                               sdk_tenant: httpx.Client) -> None:
    verifier, challenge = pkce_pair()
    code = authorization_code(sdk_tenant, "alice", code_challenge=challenge, code_challenge_method="S256")
    with pytest.raises(Auth0Error) as refused:
        web_app(trust_sdk_site).authorization_code_pkce(verifier, code, CALLBACK)
    assert (refused.value.status_code, refused.value.error_code) == (401, "access_denied")


def test_refresh_then_revoke(trust_sdk_site: HttpsSite) -> None:
    token = web_app(trust_sdk_site).login("alice@example.com", "alice-demo-1", realm=CONNECTION,
                                          scope="openid offline_access", audience=API_AUDIENCE)
    renewed = web_app(trust_sdk_site).refresh_token(token["refresh_token"])
    assert renewed["access_token"] != token["access_token"]
    RevokeToken(trust_sdk_site.domain, "web-app", client_secret="web-app-secret").revoke_refresh_token(
        renewed.get("refresh_token", token["refresh_token"]))
    with pytest.raises(Auth0Error) as refused:
        web_app(trust_sdk_site).refresh_token(renewed.get("refresh_token", token["refresh_token"]))
    assert refused.value.status_code == 403 and refused.value.error_code == "invalid_grant"


def test_userinfo(trust_sdk_site: HttpsSite) -> None:
    token = web_app(trust_sdk_site).login("alice@example.com", "alice-demo-1", realm=CONNECTION,
                                          scope="openid email", audience=API_AUDIENCE)
    assert Users(trust_sdk_site.domain).userinfo(token["access_token"])["email"] == "alice@example.com"


def test_sign_up_with_user_metadata_and_profile_then_change_password(trust_sdk_site: HttpsSite) -> None:
    email = f"ivy-{secrets.token_hex(4)}@example.com"
    database = Database(trust_sdk_site.domain, "web-app")
    created = database.signup(email=email, password="Ivy-pass-1", connection=CONNECTION,
                              user_metadata={"team": "blue"}, given_name="Ivy", family_name="Example", nickname="ivy")
    assert created["user_metadata"] == {"team": "blue"} and created["given_name"] == "Ivy"
    token = web_app(trust_sdk_site).login(email, "Ivy-pass-1", realm=CONNECTION, scope="openid profile")
    assert claims_of(token["id_token"])["family_name"] == "Example"
    assert "reset your password" in database.change_password(email=email, connection=CONNECTION)
