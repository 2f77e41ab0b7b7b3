"""Auth0's Python SDK against the tenant served by uvicorn: ID-token verification with max_age, revocation, sign-up with user_metadata."""

import pytest
from auth0.authentication import Database, GetToken, RevokeToken
from auth0.authentication.exceptions import Auth0Error
from auth0.authentication.token_verifier import AsymmetricSignatureVerifier, TokenVerifier

from tests.conftest import claims_of
from tests.tenant.conftest import API

CONNECTION = "Username-Password-Authentication"


def tenant_domain(live_server: str) -> str:
    """The tenant's "domain" as Auth0's SDK takes it."""
    return f"{live_server.split('://', 1)[1]}"


def web_app(live_server: str) -> GetToken:
    """Auth0's SDK client for the web app, over plain http."""
    return GetToken(tenant_domain(live_server), "web-app", client_secret="web-app-secret", protocol="http")


def test_token_verifier_with_max_age_accepts_the_id_token(live_server):
    token = web_app(live_server).login("alice@example.com", "alice-demo-1", realm=CONNECTION, scope="openid",
                                       audience=API)
    issuer = f"{live_server}/"
    verifier = TokenVerifier(signature_verifier=AsymmetricSignatureVerifier(f"{issuer}.well-known/jwks.json"),
                             issuer=issuer, audience="web-app")
    claims = verifier.verify(token["id_token"], max_age=300)
    assert isinstance(claims["auth_time"], int)


def test_sdk_revokes_a_refresh_token(live_server):
    token = web_app(live_server).login("alice@example.com", "alice-demo-1", realm=CONNECTION,
                                       scope="openid offline_access", audience=API)
    RevokeToken(tenant_domain(live_server), "web-app", client_secret="web-app-secret",
                protocol="http").revoke_refresh_token(token["refresh_token"])
    with pytest.raises(Auth0Error) as refused:
        web_app(live_server).refresh_token(token["refresh_token"])
    assert refused.value.status_code == 403 and refused.value.error_code == "invalid_grant"


def test_sdk_signs_up_with_user_metadata_and_profile(live_server):
    created = Database(tenant_domain(live_server), "web-app", protocol="http").signup(
        email="ivy@example.com", password="Ivy-pass-1", connection=CONNECTION, user_metadata={"team": "blue"},
        given_name="Ivy", family_name="Example", nickname="ivy")
    assert created["user_metadata"] == {"team": "blue"} and created["given_name"] == "Ivy"
    token = web_app(live_server).login("ivy@example.com", "Ivy-pass-1", realm=CONNECTION, scope="openid profile")
    assert claims_of(token["id_token"])["family_name"] == "Example"
