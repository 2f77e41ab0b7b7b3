"""With the built-in tenant on a public origin, every page says it is a demo tenant."""

import pytest
from fastapi.testclient import TestClient

from main import create_app
from templating.page_context import DEMO_NOTICE_TEXT
from tests.accounts.fake_tenant import real_tenant_settings
from tests.conftest import builtin_settings

NOTICE = 'class="demo-tenant-notice"'
PAGES = ["/", "/tutorials", "/no-such-page", "/auth/callback?state=x"]


@pytest.fixture(scope="module")
def public_demo(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """The built-in tenant on https://playground.example.org."""
    app = create_app(builtin_settings(tmp_path_factory.mktemp("public"), origin="https://playground.example.org"))
    return TestClient(app, base_url="https://playground.example.org")


@pytest.mark.parametrize("path", PAGES)
def test_public_demo_pages_show_the_notice(public_demo, path):
    response = public_demo.get(path, headers={"accept": "text/html"})
    assert NOTICE in response.text, response.status_code


def test_profile_shows_the_notice(public_demo):
    from tests.login.tenant_form import log_in

    profile = log_in(public_demo, "alice@example.com", "alice-demo-1")
    assert profile.url.path == "/profile"
    assert NOTICE in profile.text


def test_localhost_has_no_notice(tmp_path):
    client = TestClient(create_app(builtin_settings(tmp_path, origin="http://localhost:8000")),
                        base_url="http://localhost:8000")
    assert NOTICE not in client.get("/").text


def test_a_real_tenant_has_no_notice(tmp_path):
    client = TestClient(create_app(real_tenant_settings(tmp_path)))
    assert NOTICE not in client.get("/").text


def test_the_api_docs_show_the_notice(public_demo):
    assert DEMO_NOTICE_TEXT in public_demo.get("/openapi.json").json()["info"]["description"]


def test_a_real_tenant_has_no_notice_in_the_api_docs(tmp_path):
    client = TestClient(create_app(real_tenant_settings(tmp_path)))
    assert DEMO_NOTICE_TEXT not in client.get("/openapi.json").json()["info"]["description"]


def test_the_notice_says_where_accounts_live(public_demo):
    notice = public_demo.get("/").text
    assert "disk" in notice and "whenever the site restarts" not in notice
