"""The local CA and localhost certificate: made once, trusted by a client that is given the CA, renewed near expiry."""

import datetime
import socket
import ssl
import threading
from pathlib import Path

import pytest
from cryptography import x509

from server.local_https import RENEW_BEFORE, local_certificate

HOSTS = ["localhost", "127.0.0.1"]


def handshake(certificate_files, host: str, authority: Path | None) -> str:
    """Serve one TLS handshake with the server certificate; return the name the client verified, or the error."""
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(certificate_files.certificate, certificate_files.key)
    client_context = ssl.create_default_context(cafile=str(authority) if authority else None)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        connection, _ = listener.accept()
        try:
            with server_context.wrap_socket(connection, server_side=True) as tls:
                tls.recv(1)
        except (ssl.SSLError, OSError):
            pass

    worker = threading.Thread(target=serve)
    worker.start()
    try:
        with socket.create_connection(("127.0.0.1", port)) as raw:
            with client_context.wrap_socket(raw, server_hostname=host) as tls:
                subject = dict(pair[0] for pair in tls.getpeercert()["subject"])
                return subject["commonName"]
    except ssl.SSLCertVerificationError as error:
        return error.verify_message
    finally:
        worker.join(5)
        listener.close()


@pytest.mark.parametrize("host", HOSTS)
def test_a_client_given_the_local_ca_trusts_the_site_on_localhost_and_loopback(tmp_path, host: str) -> None:
    made = local_certificate(tmp_path)
    assert handshake(made, host, made.authority) == "localhost"


def test_a_client_without_the_local_ca_refuses_the_site(tmp_path) -> None:
    made = local_certificate(tmp_path)
    assert handshake(made, "localhost", None) == "unable to get local issuer certificate"


def test_the_certificates_are_made_once_and_the_keys_are_private(tmp_path) -> None:
    first = local_certificate(tmp_path)
    contents = {path: path.read_bytes() for path in (first.authority, first.certificate, first.key)}
    second = local_certificate(tmp_path)
    assert {path: path.read_bytes() for path in (second.authority, second.certificate, second.key)} == contents
    assert first.key.stat().st_mode & 0o777 == 0o600
    assert (first.authority.parent / "ca-key.pem").stat().st_mode & 0o777 == 0o600
    assert str(first.authority) in first.trust_hint()


def test_a_server_certificate_near_its_end_is_renewed_by_the_same_ca(tmp_path, monkeypatch) -> None:
    made = local_certificate(tmp_path)
    authority, old = made.authority.read_bytes(), x509.load_pem_x509_certificate(made.certificate.read_bytes())
    later = old.not_valid_after_utc - RENEW_BEFORE + datetime.timedelta(days=1)
    monkeypatch.setattr("server.local_https.now", lambda: later)
    renewed = local_certificate(tmp_path)
    assert renewed.authority.read_bytes() == authority
    assert x509.load_pem_x509_certificate(renewed.certificate.read_bytes()).serial_number != old.serial_number
