"""Access tokens good for /userinfo alone, encrypted as Auth0's are: a five-part JWE that no API can read."""

import base64
import json
import threading
import time

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from joserfc.registry import HeaderParameter

from tenant.store.keys import KeyRing

ALGORITHMS = ["dir", "A256GCM"]
# Auth0 names the issuer in the JWE header.
REGISTRY = jwe.JWERegistry(header_registry={"iss": HeaderParameter("Issuer", "str")}, algorithms=ALGORITHMS)
KEY_INFO = b"playground tenant: userinfo access tokens"


def derived_key(private_pem: str) -> OctKey:
    """A 256-bit content key derived from a signing key, so that every worker has it and rotation retires it."""
    secret = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_INFO).derive(private_pem.encode())
    return OctKey.import_key(secret)


def protected_header(token: str) -> dict | None:
    """The JWE's protected header, unverified; None when it is not a JSON object."""
    segment = token.split(".", 1)[0]
    header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    return header if isinstance(header, dict) else None


class TokenSealer:
    """Seals and opens /userinfo-only access tokens with a key derived from the current signing key."""

    def __init__(self, keys: KeyRing, issuer: str) -> None:
        self.keys = keys
        self.issuer = issuer
        self._lock = threading.Lock()
        self._keys: dict[str, OctKey] = {}

    def _key(self, kid: str) -> OctKey | None:
        if kid not in self._keys:
            rows = {row.kid: row.private_pem for row in self.keys.store.signing_keys()}
            if kid not in rows:
                return None
            with self._lock:
                self._keys[kid] = derived_key(rows[kid])
        return self._keys[kid]

    def seal(self, claims: dict) -> str:
        """A compact JWE of the claims (alg dir, enc A256GCM, Auth0's `iss` header)."""
        kid = self.keys.signing_key().kid
        header = {"alg": "dir", "enc": "A256GCM", "iss": self.issuer, "kid": kid}
        return jwe.encrypt_compact(header, json.dumps(claims), self._key(kid), registry=REGISTRY)

    def open(self, token: str) -> dict | None:
        """The claims of a live token this tenant sealed, else None."""
        try:
            kid = (protected_header(token) or {}).get("kid")
            key = self._key(kid) if isinstance(kid, str) else None
            if key is None:
                return None
            claims = json.loads(jwe.decrypt_compact(token, key, registry=REGISTRY).plaintext)
        except (JoseError, ValueError, TypeError, UnicodeDecodeError):
            return None
        if not isinstance(claims, dict) or claims.get("iss") != self.issuer or claims.get("exp", 0) <= time.time():
            return None
        return claims
