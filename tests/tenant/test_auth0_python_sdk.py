"""Auth0's Python SDK against the tenant served by uvicorn: ID-token verification with max_age."""

from auth0.authentication import GetToken
from auth0.authentication.token_verifier import AsymmetricSignatureVerifier, TokenVerifier

from tests.tenant.conftest import API

CONNECTION = "Username-Password-Authentication"


def tenant_domain(live_server: str) -> str:
    """The tenant's "domain" as Auth0's SDK takes it."""
    return f"{live_server.split('://', 1)[1]}/tenant"


def web_app(live_server: str) -> GetToken:
    """Auth0's SDK client for the web app, over plain http."""
    return GetToken(tenant_domain(live_server), "web-app", client_secret="web-app-secret", protocol="http")


def test_token_verifier_with_max_age_accepts_the_id_token(live_server):
    token = web_app(live_server).login("alice@example.com", "alice-demo-1", realm=CONNECTION, scope="openid",
                                       audience=API)
    issuer = f"{live_server}/tenant/"
    verifier = TokenVerifier(signature_verifier=AsymmetricSignatureVerifier(f"{issuer}.well-known/jwks.json"),
                             issuer=issuer, audience="web-app")
    claims = verifier.verify(token["id_token"], max_age=300)
    assert isinstance(claims["auth_time"], int)
