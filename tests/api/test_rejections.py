"""Every way a token is refused: status, WWW-Authenticate challenge (RFC 6750) and a message that says why."""

import re
import time

import httpx
import pytest
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey

from tests.api import tokens
from tests.api.tokens import bearer

PROTECTED = ["/api/secure", "/api/scoped", "/api/admin", "/api/claims"]


def assert_invalid_token(response: httpx.Response, check: str, *words: str) -> None:
    """A 401 naming the failed check, with the invalid_token challenge and the message in both places."""
    assert response.status_code == 401, response.text
    body = response.json()
    assert body["error"] == "invalid_token"
    assert body["check"] == check, body
    for word in words:
        assert word in body["detail"], body["detail"]
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer error="invalid_token", error_description="')
    assert "\n" not in challenge


@pytest.fixture(scope="module")
def tenant_kid(access_tokens: dict[str, str]) -> str:
    """The kid the built-in tenant signs with."""
    return tokens.parts(access_tokens["alice"])[0]["kid"]


@pytest.mark.parametrize("path", PROTECTED)
def test_missing_token_gets_a_bare_bearer_challenge(site: TestClient, path: str) -> None:
    response = site.get(path)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["check"] == "authorization_header"
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Basic YWxpY2U6c2VjcmV0", "Token abc", "Bearer", "Bearer    "])
def test_authorization_header_without_a_bearer_token(site: TestClient, header: str) -> None:
    response = site.get("/api/secure", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "Bearer" in response.json()["detail"]


@pytest.mark.parametrize(("token", "words"), [
    ("opaque-token-without-dots", ["opaque", "audience=https://playground/api"]),
    ("a.b.c.d.e", ["encrypted"]),
    ("a.b", ["3 base64url parts"]),
    ("!!!.@@@.###", ["header is not base64url-encoded JSON"]),
    (f"{tokens.b64url(b'not json')}.e30.sig", ["header is not base64url-encoded JSON"]),
    (f"{tokens.b64json([1, 2])}.e30.sig", ["header is not a JSON object"]),
    (f"{tokens.b64json({'alg': 'RS256', 'kid': 7})}.e30.sig", ["kid is not a string"]),
    ("x" * 20_000, ["characters long"]),
])
def test_malformed_tokens(site: TestClient, token: str, words: list[str]) -> None:
    assert_invalid_token(site.get("/api/secure", headers=bearer(token)), "format", *words)


def test_non_ascii_token_is_refused_cleanly(site: TestClient) -> None:
    response = site.get("/api/secure", headers={"Authorization": "Bearer é.é.é".encode()})
    assert response.status_code == 401


def test_token_without_kid(site: TestClient, test_key: RSAKey) -> None:
    token = tokens.sign(tokens.access_claims(), test_key, kid=None)
    assert_invalid_token(site.get("/api/secure", headers=bearer(token)), "kid", "no kid")


def test_alg_none_is_refused(site: TestClient, tenant_kid: str) -> None:
    token = tokens.unsigned(tokens.access_claims(), tenant_kid)
    assert_invalid_token(site.get("/api/secure", headers=bearer(token)), "alg", "alg is none", "RFC 8725")


def test_hs256_signed_with_the_public_key_is_refused(site: TestClient, tenant_kid: str) -> None:
    jwks = site.get("/.well-known/jwks.json").json()
    public_pem = RSAKey.import_key(jwks["keys"][0]).as_pem(private=False)
    token = tokens.sign_hs256(tokens.access_claims(), public_pem, tenant_kid)
    assert_invalid_token(site.get("/api/secure", headers=bearer(token)), "alg", "HS256", "only RS256")


def test_token_from_another_tenant_is_refused(site: TestClient) -> None:
    token = tokens.sign(tokens.access_claims(), tokens.new_key("someone-elses-key"))
    assert_invalid_token(site.get("/api/secure", headers=bearer(token)), "kid", "someone-elses-key", "another tenant")


def test_forged_token_reusing_the_tenants_kid_is_refused(site: TestClient, tenant_kid: str) -> None:
    token = tokens.sign(tokens.access_claims(), tokens.new_key(tenant_kid))
    assert_invalid_token(site.get("/api/secure", headers=bearer(token)), "signature", "signature does not match")


def test_tampered_token_is_refused(site: TestClient, access_tokens: dict[str, str]) -> None:
    header, payload, signature = access_tokens["bob"].split(".")
    claims = tokens.parts(access_tokens["bob"])[1] | {"permissions": ["read:messages", "admin:messages"]}
    tampered = f"{header}.{tokens.b64json(claims)}.{signature}"
    assert_invalid_token(site.get("/api/admin", headers=bearer(tampered)), "signature", "changed after it was signed")


def test_id_token_is_refused_with_a_hint(site: TestClient) -> None:
    id_token = tokens.password_grant(site, "alice", scope="openid profile email")["id_token"]
    response = site.get("/api/secure", headers=bearer(id_token))
    assert_invalid_token(response, "token_type", "This is an ID token", "Send the access token")


def test_expired_token(own_key_api: TestClient, test_key: RSAKey) -> None:
    now = int(time.time())
    token = tokens.sign(tokens.access_claims(iat=now - 7200, exp=now - 3600), test_key)
    response = own_key_api.get("/api/secure", headers=bearer(token))
    assert_invalid_token(response, "exp", "expired", "seconds ago")
    assert re.search(r"\(360[0-2] seconds ago\)", response.json()["detail"]), "a second may pass while it runs"


def test_token_without_exp(own_key_api: TestClient, test_key: RSAKey) -> None:
    token = tokens.sign(tokens.access_claims(exp=None), test_key)
    assert_invalid_token(own_key_api.get("/api/secure", headers=bearer(token)), "exp", "no exp")


@pytest.mark.parametrize("exp", ["tomorrow", True, 1e308 * 10, -10**30, 10**40])
def test_odd_exp_values_never_crash(own_key_api: TestClient, test_key: RSAKey, exp: object) -> None:
    token = tokens.sign(tokens.access_claims(exp=exp), test_key)
    response = own_key_api.get("/api/claims", headers=bearer(token))
    assert response.status_code in (200, 401), response.text


def test_token_not_yet_valid(own_key_api: TestClient, test_key: RSAKey) -> None:
    token = tokens.sign(tokens.access_claims(nbf=int(time.time()) + 600), test_key)
    assert_invalid_token(own_key_api.get("/api/secure", headers=bearer(token)), "nbf", "not valid before")


def test_issuer_is_compared_exactly(own_key_api: TestClient, test_key: RSAKey) -> None:
    token = tokens.sign(tokens.access_claims(iss=tokens.ISSUER.rstrip("/")), test_key)
    assert_invalid_token(own_key_api.get("/api/secure", headers=bearer(token)), "iss", "trailing slash")


def test_other_issuer(own_key_api: TestClient, test_key: RSAKey) -> None:
    token = tokens.sign(tokens.access_claims(iss="https://evil.example/"), test_key)
    assert_invalid_token(own_key_api.get("/api/secure", headers=bearer(token)), "iss",
                         "iss is https://evil.example/ but this API trusts tokens from http://testserver/")


def test_token_for_another_api(own_key_api: TestClient, test_key: RSAKey) -> None:
    token = tokens.sign(tokens.access_claims(aud="https://other/api"), test_key)
    assert_invalid_token(own_key_api.get("/api/secure", headers=bearer(token)), "aud",
                         "aud is https://other/api but this API is https://playground/api")


def test_token_without_sub(own_key_api: TestClient, test_key: RSAKey) -> None:
    token = tokens.sign(tokens.access_claims(sub=None), test_key)
    assert_invalid_token(own_key_api.get("/api/secure", headers=bearer(token)), "sub", "no sub")


def test_scope_that_is_not_a_string(own_key_api: TestClient, test_key: RSAKey) -> None:
    token = tokens.sign(tokens.access_claims(scope=["read:messages"]), test_key)
    response = own_key_api.get("/api/scoped", headers=bearer(token))
    assert response.status_code == 403
    assert "space-separated string" in response.json()["detail"]


def test_token_without_permissions_claim_on_admin(own_key_api: TestClient, test_key: RSAKey) -> None:
    token = tokens.sign(tokens.access_claims(permissions=None), test_key)
    response = own_key_api.get("/api/admin", headers=bearer(token))
    assert response.status_code == 403
    assert "RBAC" in response.json()["detail"]


def test_payload_that_is_not_an_object(own_key_api: TestClient, test_key: RSAKey) -> None:
    from joserfc import jws

    token = jws.serialize_compact({"alg": "RS256", "kid": test_key.kid}, b"[1, 2, 3]", test_key)
    assert_invalid_token(own_key_api.get("/api/secure", headers=bearer(token)), "format", "not a JSON object")


def test_custom_namespaced_claim_is_explained(own_key_api: TestClient, test_key: RSAKey) -> None:
    token = tokens.sign(tokens.access_claims(**{"https://playground/roles": ["editor"]}), test_key)
    body = own_key_api.get("/api/claims", headers=bearer(token)).json()
    assert "Action" in body["claims_explained"]["https://playground/roles"]
