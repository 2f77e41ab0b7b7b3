"""/auth/logout makes the session cookie useless, even a copy kept from before."""

from fastapi.testclient import TestClient

from main import create_app
from middleware.sessions import SESSION_COOKIE
from tests.conftest import builtin_settings
from tests.login.tenant_form import log_in


def test_a_kept_copy_of_the_session_cookie_is_refused_after_logout(site: TestClient) -> None:
    with TestClient(site.app) as browser:
        assert log_in(browser, "alice@example.com", "alice-demo-1").url.path == "/profile"
        kept = browser.cookies[SESSION_COOKIE]
        browser.get("/auth/logout", follow_redirects=False)
    with TestClient(site.app, cookies={SESSION_COOKIE: kept}) as thief:
        profile = thief.get("/profile", follow_redirects=False)
        assert profile.status_code == 303 and "/auth/login" in profile.headers["location"]
        assert thief.get("/progress").status_code == 200


def test_another_sign_in_is_not_affected(site: TestClient) -> None:
    with TestClient(site.app) as first, TestClient(site.app) as second:
        log_in(first, "alice@example.com", "alice-demo-1")
        log_in(second, "bob@example.com", "bob-demo-1")
        first.get("/auth/logout", follow_redirects=False)
        assert second.get("/profile", follow_redirects=False).status_code == 200


def test_a_logout_on_one_instance_ends_the_sign_in_on_another(tmp_path, database_url: str | None) -> None:
    settings = builtin_settings(tmp_path, database_url=database_url)
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as other:
        log_in(one, "alice@example.com", "alice-demo-1")
        other.cookies.set(SESSION_COOKIE, one.cookies[SESSION_COOKIE])
        assert other.get("/profile", follow_redirects=False).status_code == 200
        one.get("/auth/logout", follow_redirects=False)
        assert other.get("/profile", follow_redirects=False).status_code == 303
