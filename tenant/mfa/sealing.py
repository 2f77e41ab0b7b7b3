"""Authenticator secrets sealed at rest (AES-GCM), with a key every worker and instance derives alike."""

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage import Database
from storage.secrets import SiteSecrets

SECRET_NAME = "tenant_mfa_sealing"
KEY_INFO = b"playground tenant: authenticator secrets"
NONCE_BYTES = 12


class SecretSealer:
    """Seals and opens authenticator secrets; the key comes from a random secret the database keeps once for all."""

    def __init__(self, database: Database) -> None:
        root = SiteSecrets(database).get_or_create(SECRET_NAME)
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_INFO).derive(root.encode())
        self._aead = AESGCM(key)

    def seal(self, secret: str, user_id: str) -> str:
        """The secret encrypted and bound to its user (a row copied to another user does not open)."""
        nonce = os.urandom(NONCE_BYTES)
        return base64.urlsafe_b64encode(nonce + self._aead.encrypt(nonce, secret.encode(), user_id.encode())).decode()

    def open(self, sealed: str, user_id: str) -> str | None:
        """The secret, or None when it was not sealed here for this user."""
        try:
            raw = base64.urlsafe_b64decode(sealed)
            return self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], user_id.encode()).decode()
        except (InvalidTag, ValueError):
            return None
