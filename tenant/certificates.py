"""A self-signed certificate per signing key, published in the JWKS as `x5c` and `x5t` as Auth0 does."""

import base64
import datetime
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.x509.oid import NameOID

VALIDITY = datetime.timedelta(days=3650)
# Not the issuer's host: the JWKS stays the same when the site moves to another address, and across restarts.
COMMON_NAME = "Playground demo tenant"


def self_signed_certificate(private_pem: str, kid: str, created_at: float) -> bytes:
    """The DER certificate of a signing key: the same bytes in every worker for the same inputs."""
    # RSA signatures are deterministic, and the serial and dates come from the key's id and creation time.
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    assert isinstance(key, RSAPrivateKey)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, COMMON_NAME)])
    not_before = datetime.datetime.fromtimestamp(int(created_at), datetime.UTC)
    serial = int.from_bytes(hashlib.sha256(kid.encode()).digest()[:16], "big") >> 1
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(serial).not_valid_before(not_before).not_valid_after(not_before + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.DER)


def certificate_members(der: bytes) -> dict[str, object]:
    """The JWK members for a certificate: `x5c` (standard base64 DER) and `x5t` (SHA-1 thumbprint, base64url)."""
    thumbprint = base64.urlsafe_b64encode(hashlib.sha1(der).digest()).rstrip(b"=").decode()  # noqa: S324 (RFC 7517)
    return {"x5c": [base64.b64encode(der).decode()], "x5t": thumbprint}
