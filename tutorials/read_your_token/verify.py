"""Verify an access token the way an API must: signature, issuer, audience and expiry."""

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

ALGORITHMS = ["RS256"]


class InvalidToken(Exception):
    """The token must not be trusted; the message says why."""


def fetch_jwks(issuer: str) -> dict:
    """The tenant's public signing keys, published next to its issuer."""
    response = httpx.get(f"{issuer}.well-known/jwks.json", timeout=10)
    response.raise_for_status()
    return response.json()


def verify_access_token(token: str, jwks: dict, issuer: str, audience: str) -> dict:
    """The token's claims, once the signature, `iss`, `aud` and `exp` all check out."""
    try:
        decoded = jwt.decode(token, KeySet.import_key_set(jwks), algorithms=ALGORITHMS)
        rules = jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": audience},
            exp={"essential": True},
        )
        rules.validate(decoded.claims)
    except (JoseError, ValueError) as error:
        raise InvalidToken(str(error)) from None
    return decoded.claims
