"""`/auth/login?returnTo=` only accepts paths on this site: no open redirect."""

import pytest

from routers.login import is_local_path

LOCAL = ["/", "/profile", "/tutorials/web-login?step=2#top", "/docs"]
FOREIGN = ["https://evil.example/", "//evil.example", "/\\evil.example", "\\\\evil.example", "evil.example",
           "javascript:alert(1)", "http:/evil.example", "/profile\nSet-Cookie: x=1", "", " /profile"]


@pytest.mark.parametrize("value", LOCAL)
def test_local_paths_are_accepted(value):
    assert is_local_path(value)


@pytest.mark.parametrize("value", FOREIGN)
def test_other_targets_are_refused(value):
    assert not is_local_path(value)


@pytest.mark.parametrize("value", FOREIGN)
def test_login_refuses_a_foreign_return_to_with_400(auth0_site, value):
    response = auth0_site.get("/auth/login", params={"returnTo": value})
    assert response.status_code == 400
    assert "returnTo" in response.text


def test_login_keeps_a_local_return_to(auth0_site, provider):
    assert auth0_site.get("/auth/login", params={"returnTo": "/docs"}).status_code == 302
