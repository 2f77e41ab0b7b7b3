"""The session secret: SESSION_SECRET, else (built-in tenant) one kept in the database for every worker."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from main import create_app
from middleware.sessions import SESSION_COOKIE, SESSION_SECRET_NAME, session_secret
from storage import Database
from storage.secrets import SiteSecrets
from tests.conftest import builtin_settings
from tests.login.tenant_form import log_in


def test_configured_secret_is_used(tmp_path):
    settings = builtin_settings(tmp_path, session_secret=SecretStr("configured-secret"))
    assert session_secret(settings, Database(settings.storage_url)) == "configured-secret"
    assert not list(tmp_path.iterdir())


def test_built_in_tenant_keeps_a_generated_secret_in_its_database(tmp_path):
    settings = builtin_settings(tmp_path)
    first = session_secret(settings, Database(settings.storage_url))
    assert len(first) >= 32
    assert session_secret(settings, Database(settings.storage_url)) == first


def test_workers_starting_together_share_one_secret(tmp_path):
    url = builtin_settings(tmp_path).storage_url
    with ThreadPoolExecutor(8) as pool:
        secrets = set(pool.map(lambda _: SiteSecrets(Database(url)).get_or_create(SESSION_SECRET_NAME), range(16)))
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
        session_secret(settings, None)
