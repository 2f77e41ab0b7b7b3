"""A local certificate authority and a certificate for localhost, made once under DATA_DIR, for `--https`."""

import datetime
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

FOLDER = "https"
CA_NAME = "Auth0 Playground local CA"
CA_VALIDITY = datetime.timedelta(days=3650)
# Browsers refuse server certificates valid for longer than 398 days.
SERVER_VALIDITY = datetime.timedelta(days=397)
RENEW_BEFORE = datetime.timedelta(days=30)
HOSTS = ("localhost",)
ADDRESSES = ("127.0.0.1", "::1")


@dataclass(frozen=True)
class LocalCertificate:
    """Where the local CA's certificate and the server's certificate and key are."""

    authority: Path
    certificate: Path
    key: Path

    def trust_hint(self) -> str:
        """One line: how Python clients trust this server, and what a browser will say."""
        return (f"https: Python clients trust this site with SSL_CERT_FILE={self.authority} "
                f"REQUESTS_CA_BUNDLE={self.authority}; browsers warn of an unknown issuer until that file is "
                f"imported as a trusted authority.")


def now() -> datetime.datetime:
    """The current time, in UTC."""
    return datetime.datetime.now(datetime.UTC)


def write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner may read."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    """A private key as unencrypted PKCS#8 PEM."""
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def named(common_name: str) -> x509.Name:
    """An X.509 name with only a common name."""
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_authority(folder: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """A new local CA, written to the folder."""
    key = ec.generate_private_key(ec.SECP256R1())
    start = now()
    certificate = (
        x509.CertificateBuilder().subject_name(named(CA_NAME)).issuer_name(named(CA_NAME))
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(start - datetime.timedelta(minutes=5)).not_valid_after(start + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    write_private(folder / "ca-key.pem", pem_key(key))
    (folder / "ca.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return certificate, key


def load_authority(folder: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None:
    """The folder's CA, or None when it has none or it expires soon."""
    try:
        certificate = x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes())
        key = serialization.load_pem_private_key((folder / "ca-key.pem").read_bytes(), password=None)
    except (OSError, ValueError):
        return None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or certificate.not_valid_after_utc - now() < RENEW_BEFORE:
        return None
    return certificate, key


def server_certificate_is_current(path: Path, authority: x509.Certificate) -> bool:
    """Whether the server certificate exists, was issued by this CA and is not about to expire."""
    try:
        certificate = x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError):
        return False
    return certificate.issuer == authority.subject and certificate.not_valid_after_utc - now() > RENEW_BEFORE


def make_server_certificate(folder: Path, authority: x509.Certificate, authority_key: ec.EllipticCurvePrivateKey,
                            ) -> None:
    """A certificate for localhost and the loopback addresses, signed by the local CA."""
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName(host) for host in HOSTS] + [x509.IPAddress(ipaddress.ip_address(a)) for a in ADDRESSES]
    start = now()
    certificate = (
        x509.CertificateBuilder().subject_name(named(HOSTS[0])).issuer_name(authority.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(start - datetime.timedelta(minutes=5)).not_valid_after(start + SERVER_VALIDITY)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority_key.public_key()), critical=False)
        .sign(authority_key, hashes.SHA256())
    )
    write_private(folder / "localhost-key.pem", pem_key(key))
    (folder / "localhost.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def local_certificate(data_dir: Path) -> LocalCertificate:
    """The local CA and localhost certificate under `data_dir`, made now if missing or about to expire."""
    folder = data_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    authority = load_authority(folder) or make_authority(folder)
    found = LocalCertificate(folder / "ca.pem", folder / "localhost.pem", folder / "localhost-key.pem")
    if not server_certificate_is_current(found.certificate, authority[0]):
        make_server_certificate(folder, *authority)
    return found
