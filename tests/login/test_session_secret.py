"""The session secret: SESSION_SECRET, else (built-in tenant) one persisted in the data folder for every worker."""

import stat
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from main import create_app
from tests.conftest import builtin_settings
from tests.login.tenant_form import log_in
from web_session import SESSION_COOKIE, SESSION_SECRET_FILE, persisted_secret, session_secret


def test_configured_secret_is_used(tmp_path):
    settings = builtin_settings(tmp_path, session_secret=SecretStr("configured-secret"))
    assert session_secret(settings) == "configured-secret"
    assert not (tmp_path / SESSION_SECRET_FILE).exists()


def test_built_in_tenant_persists_a_generated_secret(tmp_path):
    first = session_secret(builtin_settings(tmp_path))
    assert len(first) >= 32
    assert session_secret(builtin_settings(tmp_path)) == first
    assert stat.S_IMODE((tmp_path / SESSION_SECRET_FILE).stat().st_mode) == 0o600


def test_workers_starting_together_share_one_secret(tmp_path):
    with ThreadPoolExecutor(8) as pool:
        secrets = set(pool.map(lambda _: persisted_secret(tmp_path / "data"), range(16)))
    assert len(secrets) == 1


def test_a_session_from_one_worker_is_valid_in_another(tmp_path):
    worker_one = TestClient(create_app(builtin_settings(tmp_path)))
    worker_two = TestClient(create_app(builtin_settings(tmp_path)))
    assert log_in(worker_one, "alice@example.com", "alice-demo-1").url.path == "/profile"
    worker_two.cookies.set(SESSION_COOKIE, worker_one.cookies[SESSION_COOKIE])
    assert worker_two.get("/profile", follow_redirects=False).status_code == 200


def test_blank_secret_with_a_real_tenant_stops_start_up(tmp_path):
    from tests.accounts.fake_tenant import real_tenant_settings

    settings = real_tenant_settings(tmp_path).model_copy(update={"session_secret": SecretStr("  ")})
    with pytest.raises(SystemExit, match="SESSION_SECRET"):
        session_secret(settings)
