"""An Auth0 tenant that cannot be reached: the site starts at once, /api/public answers, protected routes say 503
with the reason, and they recover by themselves when the tenant is back."""

import datetime
import ipaddress
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.api import tokens
from tests.conftest import ROOT, free_port, start_server, stop_server
from tokens.verification import REMOTE_REFRESH_INTERVAL_SECONDS



def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate and key for https://127.0.0.1, trusted by the site through SSL_CERT_FILE."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "tenant-cert.pem", folder / "tenant-key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def start_fake_tenant(port: int, cert_file: Path, key_file: Path, jwks_file: Path) -> subprocess.Popen:
    """The stand-in tenant on https://127.0.0.1:port."""
    command = [sys.executable, "-m", "uvicorn", "tests.api.fake_auth0:app", "--host", "127.0.0.1", "--port",
               str(port), "--ssl-certfile", str(cert_file), "--ssl-keyfile", str(key_file), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env={"FAKE_JWKS_FILE": str(jwks_file), "PATH": "/usr/bin:/bin",
                                                       "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(f"https://127.0.0.1:{port}/.well-known/jwks.json", verify=False, timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the stand-in tenant did not start")


@pytest.fixture
def silent_tenant_port() -> Iterator[tuple[int, socket.socket]]:
    """A port that accepts connections and never answers: a tenant behind bad Wi-Fi."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield listener.getsockname()[1], listener
    listener.close()


def started_a_connection(listener: socket.socket) -> bool:
    """True when someone has connected to the listener (without blocking to find out)."""
    listener.setblocking(False)
    try:
        connection, _ = listener.accept()
    except BlockingIOError:
        return False
    finally:
        listener.setblocking(True)
    connection.close()
    return True


def test_unreachable_tenant_gives_503_then_recovers(tmp_path: Path, silent_tenant_port) -> None:
    tenant_port, listener = silent_tenant_port
    cert_file, key_file = self_signed_certificate(tmp_path)
    key = tokens.new_key("real-tenant-key")
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps({"keys": [key.as_dict(private=False) | {"use": "sig", "alg": "RS256"}]}))
    issuer = f"https://127.0.0.1:{tenant_port}/"
    token = tokens.sign(tokens.access_claims(iss=issuer, aud="https://playground/api"), key)

    site_port = free_port()
    (tmp_path / "site").mkdir()
    site = start_server(tmp_path / "site", site_port, extra_env={
        "AUTH0_DOMAIN": f"127.0.0.1:{tenant_port}", "AUTH0_CLIENT_ID": "real-web-app",
        "AUTH0_CLIENT_SECRET": "real-secret", "SESSION_SECRET": "s" * 32, "SSL_CERT_FILE": str(cert_file),
    })
    tenant = None
    try:
        assert not started_a_connection(listener), "start-up must not wait for the tenant"
        base = f"http://127.0.0.1:{site_port}"
        assert httpx.get(f"{base}/api/public", timeout=5).status_code == 200

        response = httpx.get(f"{base}/api/secure", headers=tokens.bearer(token), timeout=10)
        assert response.status_code == 503
        assert response.json()["check"] == "jwks"
        assert f"https://127.0.0.1:{tenant_port}/.well-known/jwks.json" in response.json()["detail"]
        assert "no answer within" in response.json()["detail"]
        assert response.headers["retry-after"]
        assert httpx.get(f"{base}/api/public", timeout=5).status_code == 200

        listener.close()
        tenant = start_fake_tenant(tenant_port, cert_file, key_file, jwks_file)
        time.sleep(REMOTE_REFRESH_INTERVAL_SECONDS)
        response = httpx.get(f"{base}/api/secure", headers=tokens.bearer(token), timeout=10)
        assert response.status_code == 200, response.text
        assert response.json()["user"]["id"] == "auth0|forged"
    finally:
        stop_server(site)
        if tenant is not None:
            stop_server(tenant)
