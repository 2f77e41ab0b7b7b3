"""A hash that would wait too long: every password form and endpoint answers 503 with Retry-After, and recovers."""

import logging
import re
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from storage import database_url_for, open_database
from tenant import BuiltinTenant, TenantConfig
from tenant.endpoints.busy import HASHING_BUSY
from tenant.security.hashing import HashPool
from tenant.pages.login import RETRY_EXPIRED
from tests.tenant.conftest import (
    API, ISSUER, SITE, WEB_APP, activation_form_token, code_params, password_grant, query_of,
)
from tests.tenant.test_hashing import occupied

SIGNUP = {"client_id": "web-app", "connection": "Username-Password-Authentication"}


@pytest.fixture
def tenant(tmp_path) -> Iterator[TestClient]:
    """A tenant alone at the root, one hash at a time and no wait accepted, restarted so that no login is remembered."""
    config = TenantConfig(issuer=ISSUER, site_origin=SITE, hash_workers=1, max_hash_wait_seconds=0)
    database_url = database_url_for(None, tmp_path)
    first_start = open_database(database_url)
    BuiltinTenant(config, first_start)
    first_start.dispose()
    builtin = BuiltinTenant(config, open_database(database_url))
    app = Starlette(routes=[Mount("/", app=builtin.app)])
    app.state.pool = builtin.tenant.users.passwords.pool
    with TestClient(app, base_url=SITE, follow_redirects=False) as client:
        yield client


def pool_of(client: TestClient) -> HashPool:
    """The tenant's hash pool."""
    return client.app.state.pool


def assert_busy(response) -> None:
    """A 503 that says when to come back."""
    assert response.status_code == 503, response.text
    assert int(response.headers["retry-after"]) >= 1


def test_password_grant_is_a_503_in_auth0s_shape_then_works(tenant):
    with occupied(pool_of(tenant)):
        response = password_grant(tenant, "bob")
        assert_busy(response)
        assert response.json() == {"error": "temporarily_unavailable", "error_description": HASHING_BUSY}
    assert password_grant(tenant, "bob").status_code == 200


def test_a_busy_tenant_counts_no_failed_login(tenant):
    with occupied(pool_of(tenant)):
        for _ in range(12):
            assert_busy(password_grant(tenant, "bob", password="Wrong-guess-1"))
    assert password_grant(tenant, "bob").status_code == 200


def test_a_remembered_login_is_served_while_the_pool_is_full(tenant):
    assert password_grant(tenant, "alice").status_code == 200
    with occupied(pool_of(tenant)):
        assert password_grant(tenant, "alice").status_code == 200


def test_database_signup_is_a_503_in_auth0s_shape(tenant):
    body = {**SIGNUP, "email": "busy@example.com", "password": "Busy-pass-1"}
    with occupied(pool_of(tenant)):
        response = tenant.post("/dbconnections/signup", json=body)
        assert_busy(response)
        assert response.json()["code"] == "temporarily_unavailable"
        assert response.json()["statusCode"] == 503
    assert tenant.post("/dbconnections/signup", json=body).status_code == 200


@pytest.mark.parametrize(("path", "form"), [
    ("/u/login", {"username": "bob@example.com", "password": "bob-demo-1"}),
    ("/u/signup", {"email": "new-busy@example.com", "password": "Busy-pass-1"}),
])
def test_the_login_page_says_to_try_again_and_keeps_the_form(tenant, path, form):
    login = tenant.get("/authorize", params=code_params()).headers["location"]
    state = query_of(login)["state"]
    with occupied(pool_of(tenant)):
        response = tenant.post(path, data={"state": state, **form})
        assert_busy(response)
        assert HASHING_BUSY in response.text
        assert f'value="{state}"' in response.text
    response = tenant.post(path, data={"state": state, **form})
    assert response.status_code == 302 and "code=" in response.headers["location"]


@pytest.mark.parametrize(("path", "form"), [
    ("/u/login", {"username": "bob@example.com", "password": "bob-demo-1"}),
    ("/u/signup", {"email": "sealed-busy@example.com", "password": "Busy-pass-1"}),
])
def test_the_busy_form_resends_what_was_typed_without_showing_the_password(tenant, path, form):
    login = tenant.get("/authorize", params=code_params()).headers["location"]
    state = query_of(login)["state"]
    with occupied(pool_of(tenant)):
        response = tenant.post(path, data={"state": state, **form})
    assert f'value="{form["password"]}"' not in response.text  # (the demo users table shows their passwords)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert 'src="http://testserver/assets/retry.js"' in response.text
    assert f'data-retry-after="{response.headers["retry-after"]}"' in response.text
    sealed = re.search(r'name="retry" value="([^"]+)"', response.text).group(1)
    # What the page's script sends once the wait is over: the form as it stands, the password field empty.
    retried = tenant.post(path, data={"state": state, "retry": sealed, "password": ""})
    assert retried.status_code == 302 and "code=" in retried.headers["location"]


def test_a_sealed_form_of_another_login_asks_for_the_password_again(tenant):
    first, second = (query_of(tenant.get("/authorize", params=code_params()).headers["location"])["state"]
                     for _ in range(2))
    with occupied(pool_of(tenant)):
        response = tenant.post("/u/login", data={"state": first, "username": "bob@example.com",
                                                         "password": "bob-demo-1"})
    sealed = re.search(r'name="retry" value="([^"]+)"', response.text).group(1)
    for retry in (sealed, "not-a-sealed-form"):
        answer = tenant.post("/u/login", data={"state": second, "retry": retry, "username": "bob@example.com"})
        assert answer.status_code == 400
        assert RETRY_EXPIRED in answer.text


def test_password_realm_grant_is_a_503_too(tenant):
    form = {"grant_type": "http://auth0.com/oauth/grant-type/password-realm", "realm": SIGNUP["connection"],
            "username": "bob@example.com", "password": "bob-demo-1", **WEB_APP}
    with occupied(pool_of(tenant)):
        assert_busy(tenant.post("/oauth/token", data=form))


def test_a_busy_password_reset_leaves_the_link_working(tenant, caplog):
    caplog.set_level(logging.WARNING, logger="tenant")
    tenant.post("/dbconnections/change_password", json={**SIGNUP, "email": "bob@example.com"})
    ticket = re.search(r"/lo/reset\?ticket=(\S+)", caplog.text).group(1)
    with occupied(pool_of(tenant)):
        response = tenant.post("/lo/reset", data={"ticket": ticket, "password": "Bob-new-pass-2"})
        assert_busy(response)
        assert HASHING_BUSY in response.text
    assert tenant.post("/lo/reset", data={"ticket": ticket, "password": "Bob-new-pass-2"}).status_code == 200
    assert password_grant(tenant, "bob", password="Bob-new-pass-2").status_code == 200


def test_device_activation_says_to_try_again(tenant):
    code = tenant.post("/oauth/device/code", data={"client_id": "cli", "audience": API, "scope": "openid"})
    user_code = code.json()["user_code"]
    form = {"user_code": user_code, "action": "confirm", "username": "bob@example.com", "password": "bob-demo-1"}
    with occupied(pool_of(tenant)):
        response = tenant.post("/activate", data={**form, "form_token": activation_form_token(tenant, user_code)})
        assert_busy(response)
        assert HASHING_BUSY in response.text
    again = tenant.post("/activate", data={**form, "form_token": activation_form_token(tenant, user_code)})
    assert again.status_code == 200
