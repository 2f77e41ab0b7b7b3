"""/auth/logout makes the session cookie useless, even a copy kept from before."""

from fastapi.testclient import TestClient

from tests.login.tenant_form import log_in
from web_session import SESSION_COOKIE


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
