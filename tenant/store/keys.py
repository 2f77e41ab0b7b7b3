"""The tenant's RS256 signing keys: the newest signs, older ones stay published until their tokens expire."""

import secrets
import threading
import time

from joserfc.jwk import RSAKey

from tenant.certificates import certificate_members, self_signed_certificate
from tenant.store.store import Store

KEY_SIZE = 2048
# A retired key stays in the JWKS as long as the longest-lived token it signed (access tokens: 24 h).
RETIRED_KEY_GRACE = 86_400 + 300
RECHECK_SECONDS = 5.0


def new_key_id() -> str:
    """A kid in the style of Auth0's: random, URL-safe."""
    return secrets.token_urlsafe(16)


def new_key() -> tuple[str, str]:
    """A new RS256 key: its kid and its private key as PEM."""
    kid = new_key_id()
    key = RSAKey.generate_key(KEY_SIZE, parameters={"kid": kid, "use": "sig", "alg": "RS256"})
    return kid, key.as_pem(private=True).decode()


class KeyRing:
    """Signing keys kept in the store, so that every worker signs with, and publishes, the same keys."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._current: RSAKey | None = None
        self._checked_at = 0.0
        self._public: dict[str, dict] = {}
        store.add_first_key(new_key)

    def rotate(self) -> str:
        """Add a new signing key and retire the others; returns the new kid."""
        kid, private_pem = new_key()
        self.store.add_key_retiring_others(kid, private_pem)
        self._checked_at = 0.0
        return kid

    def signing_key(self) -> RSAKey:
        """The key to sign with now (noticing within seconds a rotation made by another process)."""
        now = time.monotonic()
        if self._current is not None and now - self._checked_at < RECHECK_SECONDS:
            return self._current
        with self._lock:
            newest = self.store.newest_key()
            if self._current is None or self._current.kid != newest.kid:
                self._current = RSAKey.import_key(newest.private_pem, {"kid": newest.kid, "use": "sig", "alg": "RS256"})
            self._checked_at = now
            return self._current

    def jwks(self) -> dict:
        """The public keys a verifier may meet: the current one and recently retired ones."""
        cutoff = time.time() - RETIRED_KEY_GRACE
        rows = [row for row in self.store.signing_keys() if row.retired_at is None or row.retired_at >= cutoff]
        return {"keys": [self._public_jwk(row) for row in rows]}

    def _public_jwk(self, row) -> dict:
        kid, private_pem = row.kid, row.private_pem
        if kid not in self._public:
            key = RSAKey.import_key(private_pem, {"kid": kid, "use": "sig", "alg": "RS256"})
            certificate = self_signed_certificate(private_pem, kid, row.created_at)
            self._public[kid] = {**key.as_dict(private=False), **certificate_members(certificate)}
        return self._public[kid]
