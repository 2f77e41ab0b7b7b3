"""Settings: the built-in tenant by default, one clear line for anything wrong, origins from the platform."""

import subprocess
import sys

import pytest

from settings import Settings, load_settings
from tests.local_server import ROOT


def settings(tmp_path, **values: object) -> Settings:
    """Settings from these values only (no environment file)."""
    return load_settings(_env_file=None, data_dir=tmp_path, **values)


def test_no_auth0_domain_means_the_builtin_tenant(tmp_path):
    builtin = settings(tmp_path, auth0_domain="  ", port=8123)
    assert builtin.uses_builtin_tenant
    assert builtin.site_origin == "http://localhost:8123"
    assert builtin.issuer == "http://localhost:8123/"
    assert builtin.tenant_domain == "localhost:8123"
    assert (builtin.web_client_id, builtin.swagger_client_id) == ("web-app", "swagger-ui")


def test_an_auth0_domain_pasted_as_a_url_is_reduced_to_its_host(tmp_path):
    real = settings(tmp_path, auth0_domain="https://team.eu.auth0.com/", auth0_client_id="id",
                    auth0_client_secret="secret", session_secret="s" * 32)
    assert real.issuer == "https://team.eu.auth0.com/"
    assert not real.uses_builtin_tenant


def test_the_platform_names_the_origin_when_public_url_is_unset(tmp_path):
    assert settings(tmp_path, render_external_url="https://demo.onrender.com").site_origin == "https://demo.onrender.com"
    assert settings(tmp_path, public_url="https://a.example/ignored/path").site_origin == "https://a.example"


@pytest.mark.parametrize(("values", "named"), [
    ({"auth0_domain": "team.auth0.com"}, "AUTH0_CLIENT_ID"),
    ({"auth0_domain": "team.auth0.com", "auth0_client_id": "id", "auth0_client_secret": ""}, "AUTH0_CLIENT_SECRET"),
    ({"auth0_domain": "team.auth0.com/with/a/path"}, "AUTH0_DOMAIN"),
    ({"public_url": "ftp://x"}, "PUBLIC_URL"),
    ({"port": 70000}, "PORT"),
    ({"auth0_api_audience": " "}, "AUTH0_API_AUDIENCE"),
])
def test_a_bad_setting_stops_with_one_line_naming_it(tmp_path, values, named):
    with pytest.raises(SystemExit) as stop:
        settings(tmp_path, **values)
    message = str(stop.value)
    assert named in message and "\n" not in message


def test_a_data_dir_that_cannot_be_a_folder_is_named(tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("")
    with pytest.raises(SystemExit, match="DATA_DIR: .* is a file"):
        load_settings(_env_file=None, data_dir=a_file)


def test_start_up_failure_is_one_line_without_a_traceback(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DATA_DIR": "/proc/no-such-folder"}
    result = subprocess.run([sys.executable, "-c", "import main"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Invalid setting DATA_DIR: cannot create the folder /proc/no-such-folder: No such file or directory"]


def test_extra_tenant_urls_are_comma_separated_http_urls(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path, tenant_extra_callback_urls=" http://a.test/cb, https://b.test/x ",
                        tenant_extra_web_origins="https://b.test/")
    assert settings.tenant_extra_urls == {"extra_callback_urls": ("http://a.test/cb", "https://b.test/x"),
                                          "extra_logout_urls": (), "extra_web_origins": ("https://b.test",)}
    with pytest.raises(SystemExit, match="TENANT_EXTRA_LOGOUT_URLS.*not an http"):
        load_settings(_env_file=None, data_dir=tmp_path, tenant_extra_logout_urls="javascript:alert(1)")


def test_auth0_domain_may_be_a_tenant_url_with_a_path(tmp_path):
    real = {"auth0_client_id": "id", "auth0_client_secret": "secret", "session_secret": "s" * 32}
    other = settings(tmp_path, auth0_domain="http://127.0.0.1:8000/", **real)
    assert other.issuer == "http://127.0.0.1:8000/" and other.tenant_domain == "127.0.0.1:8000"
    assert settings(tmp_path, auth0_domain="https://a.example/tenant", **real).issuer == "https://a.example/tenant/"
    with pytest.raises(SystemExit, match="AUTH0_DOMAIN: may use http:// only for a tenant on this machine"):
        settings(tmp_path, auth0_domain="http://a.example/tenant", **real)


@pytest.mark.parametrize("given", ["postgres://app:s3cret@db.internal:5432/playground",
                                   "postgresql://app:s3cret@db.internal:5432/playground",
                                   "postgresql+psycopg://app:s3cret@db.internal:5432/playground"])
def test_database_url_as_platforms_write_it_is_taken_by_the_psycopg_driver(tmp_path, given):
    configured = settings(tmp_path, database_url=given)
    assert configured.storage_url == "postgresql+psycopg://app:s3cret@db.internal:5432/playground"
    assert "s3cret" not in repr(configured)


def test_without_database_url_the_state_is_a_sqlite_file_in_data_dir(tmp_path):
    assert settings(tmp_path, database_url="").storage_url == f"sqlite:///{tmp_path}/tenant.sqlite3"


@pytest.mark.parametrize("given, reason", [
    ("mysql://app:s3cret@db/playground", "must be a PostgreSQL URL"),
    ("postgres://app:s3cret@db.internal:5432", "names no database"),
    ("not a url at all", "must be a PostgreSQL URL"),
])
def test_a_wrong_database_url_is_named_without_its_password(tmp_path, given, reason):
    with pytest.raises(SystemExit) as stopped:
        settings(tmp_path, database_url=given)
    assert str(stopped.value).startswith("Invalid setting DATABASE_URL: ") and reason in str(stopped.value)
    assert "s3cret" not in str(stopped.value)
