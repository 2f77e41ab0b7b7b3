"""`python main.py --https`: the site and its tenant over https, trusted by a client given the local CA."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.local_server import ROOT, free_port
from tests.deploy.platform import SETTINGS_VARIABLES

STARTUP_TIMEOUT = 90


@pytest.fixture
def https_site(tmp_path: Path):
    """`python main.py --https` on a free port; yields its origin, its CA file and the line it printed."""
    port = free_port()
    env = {name: value for name, value in os.environ.items()
           if name not in (*SETTINGS_VARIABLES, "DATABASE_URL") and not name.startswith(("AUTH0_", "RENDER_", "RAILWAY_", "HEROKU_"))}
    env.update(PYTHONPATH=str(ROOT), DATA_DIR=str(tmp_path), PORT=str(port))
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--https"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    origin, authority = f"https://localhost:{port}", tmp_path / "https" / "ca.pem"
    try:
        hint = process.stdout.readline()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                httpx.get(f"{origin}/healthz", verify=str(authority)).raise_for_status()
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, "the https site did not start"
                time.sleep(0.2)
        yield origin, authority, hint
    finally:
        process.terminate()
        process.wait(10)


def test_the_https_site_serves_a_tenant_with_a_path_less_https_issuer(https_site) -> None:
    origin, authority, hint = https_site
    document = httpx.get(f"{origin}/.well-known/openid-configuration", verify=str(authority)).json()
    assert document["issuer"] == f"{origin}/"
    assert document["token_endpoint"] == f"{origin}/oauth/token"
    assert f"SSL_CERT_FILE={authority}" in hint and f"REQUESTS_CA_BUNDLE={authority}" in hint


def test_a_client_without_the_local_ca_refuses_the_https_site(https_site) -> None:
    origin, _, _ = https_site
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(f"{origin}/healthz")
