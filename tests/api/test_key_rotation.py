"""A key rotation of the built-in tenant, picked up by the running API without a restart."""

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api import tokens
from tests.conftest import ROOT, free_port, start_server, stop_server


@pytest.fixture
def rotating_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A site of its own (uvicorn, one worker), and its data folder."""
    port = free_port()
    process = start_server(tmp_path, port)
    yield f"http://127.0.0.1:{port}", tmp_path
    stop_server(process)


def alice_token(base: str) -> str:
    """A fresh access token for alice from the site's tenant."""
    email, password = tokens.USERS["alice"]
    form = {"grant_type": "password", "username": email, "password": password, "client_id": "web-app",
            "client_secret": "web-app-secret", "audience": tokens.API_AUDIENCE, "scope": "read:messages"}
    response = httpx.post(f"{base}/oauth/token", data=form, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def test_rotated_key_is_picked_up_live(rotating_site: tuple[str, Path]) -> None:
    base, data_dir = rotating_site
    old_token = alice_token(base)
    old_kid = tokens.parts(old_token)[0]["kid"]
    assert httpx.get(f"{base}/api/scoped", headers=tokens.bearer(old_token)).status_code == 200

    rotated = subprocess.run([sys.executable, "-m", "tenant", "rotate-key", "--data-dir", str(data_dir)],
                             cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert rotated.returncode == 0, rotated.stderr

    deadline = time.monotonic() + 20
    new_token = alice_token(base)
    while tokens.parts(new_token)[0]["kid"] == old_kid and time.monotonic() < deadline:
        time.sleep(0.5)
        new_token = alice_token(base)
    assert tokens.parts(new_token)[0]["kid"] != old_kid

    response = httpx.get(f"{base}/api/scoped", headers=tokens.bearer(new_token))
    assert response.status_code == 200, response.text
    assert httpx.get(f"{base}/api/scoped", headers=tokens.bearer(old_token)).status_code == 200
