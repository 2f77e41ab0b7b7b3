"""Smaller points where the tenant answers exactly as Auth0 does: JWKS certificates, refusals, token shapes."""

import base64
import json
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256

from tests.conftest import claims_of, header_of
from tests.tenant.conftest import SITE, code_params, fragment_of, password_grant, sign_in


def test_jwks_keys_carry_their_self_signed_certificate(tenant):
    key = tenant.get("/.well-known/jwks.json").json()["keys"][0]
    der = base64.b64decode(key["x5c"][0])
    assert key["x5t"] == base64.urlsafe_b64encode(hashlib.sha1(der).digest()).rstrip(b"=").decode()
    certificate = x509.load_der_x509_certificate(der)
    public = certificate.public_key()
    assert public.public_numbers().n == int.from_bytes(base64.urlsafe_b64decode(key["n"] + "=="), "big")
    assert certificate.subject.rfc4514_string() == "CN=Playground demo tenant"
    token = password_grant(tenant).json()["access_token"]
    head, payload, signature = token.split(".")
    assert header_of(token)["kid"] == key["kid"]
    public.verify(base64.urlsafe_b64decode(signature + "=="), f"{head}.{payload}".encode(), PKCS1v15(), SHA256())
    assert tenant.get("/.well-known/jwks.json").json()["keys"][0] == key, "the same document every time"


def test_a_response_type_the_client_may_not_use_is_unauthorized_client(tenant):
    answer = tenant.get("/authorize", params=code_params(
        client_id="web-app", response_type="token", redirect_uri=f"{SITE}/auth/callback"))
    assert answer.status_code == 403 and "location" not in answer.headers
    assert "Grant type &#39;implicit&#39; not allowed for the client." in answer.text


def test_missing_parameters_are_named_as_auth0_names_them(tenant):
    params = code_params()
    params.pop("response_type")
    answer = tenant.get("/authorize", params=params)
    assert answer.status_code == 400 and "Missing required parameter: response_type" in answer.text
    client = {"client_id": "web-app", "client_secret": "web-app-secret"}
    for grant_type, name in (("authorization_code", "code"), ("refresh_token", "refresh_token")):
        answer = tenant.post("/oauth/token", data={"grant_type": grant_type, **client})
        assert answer.json() == {"error": "invalid_request",
                                 "error_description": f"Missing required parameter: {name}"}


def test_implicit_tokens_live_for_auth0s_browser_flow_default(tenant):
    location = sign_in(tenant, code_params(response_type="token"), "alice@example.com", "alice-demo-1")
    returned = fragment_of(location)
    claims = claims_of(returned["access_token"])
    assert returned["expires_in"] == "7200" and claims["exp"] - claims["iat"] == 7200


def test_access_token_claims_are_auth0s_default_profile(tenant):
    claims = claims_of(password_grant(tenant).json()["access_token"])
    standard = {name for name in claims if "://" not in name}  # namespaced claims come from the post-login Action
    assert standard == {"iss", "sub", "aud", "iat", "exp", "gty", "azp", "scope", "permissions"}


def test_swagger_ui_may_return_to_the_example_apps_after_logout(loopback_tenant):
    answer = loopback_tenant.get("/v2/logout", params={"client_id": "swagger-ui", "returnTo": "http://localhost:9001"})
    assert answer.status_code == 302 and answer.headers["location"] == "http://localhost:9001"


def test_a_token_without_audience_is_a_jwe_the_api_cannot_read(tenant):
    token = password_grant(tenant, audience=None, scope="openid email").json()["access_token"]
    assert token.count(".") == 4
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert (header["alg"], header["enc"], header["iss"]) == ("dir", "A256GCM", f"{SITE}/")
    bearer = {"Authorization": f"Bearer {token}"}
    assert tenant.get("/userinfo", headers=bearer).json()["email"] == "alice@example.com"
    api = tenant.get("/api/secure", headers=bearer)
    assert api.status_code == 401 and "encrypted" in api.text
    head, key, iv, ciphertext, tag = token.split(".")
    tampered = f"{head}.{key}.{iv}.{ciphertext[:-2]}{'AA' if ciphertext[-2:] != 'AA' else 'BB'}.{tag}"
    assert tenant.get("/userinfo", headers={"Authorization": f"Bearer {tampered}"}).status_code == 401
