"""The token-reading examples: peek decodes, verify accepts only the right tenant's token for the right API."""

import time

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from tutorials.read_your_token.peek import peek
from tutorials.read_your_token.verify import InvalidToken, verify_access_token

ISSUER = "https://tenant.example/"
AUDIENCE = "https://playground/api"


@pytest.fixture(scope="module")
def key() -> RSAKey:
    """The tenant's signing key."""
    return RSAKey.generate_key(2048, parameters={"kid": "tenant-key"})


def sign(key: RSAKey, **overrides: object) -> str:
    """An access token as the tenant would issue it, with some claims overridden."""
    claims = {"iss": ISSUER, "sub": "auth0|alice", "aud": [AUDIENCE, f"{ISSUER}userinfo"],
              "iat": int(time.time()), "exp": int(time.time()) + 300, "scope": "openid read:messages"}
    claims.update(overrides)
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def jwks(key: RSAKey) -> dict:
    """The tenant's published public keys."""
    return {"keys": [key.as_dict(private=False)]}


def test_peek_reads_header_and_claims_without_a_key(key: RSAKey) -> None:
    header, claims = peek(sign(key))
    assert header["alg"] == "RS256" and header["kid"] == "tenant-key"
    assert claims["sub"] == "auth0|alice"


def test_verify_accepts_a_token_for_this_api(key: RSAKey) -> None:
    assert verify_access_token(sign(key), jwks(key), ISSUER, AUDIENCE)["scope"] == "openid read:messages"


@pytest.mark.parametrize("overrides", [
    {"iss": "https://other-tenant.example/"},
    {"iss": "https://tenant.example"},
    {"aud": "https://another/api"},
    {"exp": int(time.time()) - 10},
])
def test_verify_rejects_wrong_issuer_audience_or_expiry(key: RSAKey, overrides: dict) -> None:
    with pytest.raises(InvalidToken):
        verify_access_token(sign(key, **overrides), jwks(key), ISSUER, AUDIENCE)


def test_verify_rejects_a_tampered_token(key: RSAKey) -> None:
    header, claims, signature = sign(key).split(".")
    forged = sign(RSAKey.generate_key(2048, parameters={"kid": "tenant-key"}), permissions=["admin:messages"])
    with pytest.raises(InvalidToken):
        verify_access_token(".".join([header, forged.split(".")[1], signature]), jwks(key), ISSUER, AUDIENCE)
    with pytest.raises(InvalidToken):
        verify_access_token(forged, jwks(key), ISSUER, AUDIENCE)
