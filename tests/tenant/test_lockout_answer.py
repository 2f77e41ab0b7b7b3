"""The lockout answer on the built-in tenant says what really happens: no email, a block that lifts by itself."""

from tests.tenant.conftest import code_params, password_grant, query_of


def test_the_token_endpoints_lockout_says_no_email_and_how_long(tenant):
    for _ in range(10):
        password_grant(tenant, "bob", password="wrong")
    described = password_grant(tenant, "bob").json()["error_description"]
    assert "sent you an email" not in described
    assert "sends no email" in described and "15 minutes" in described and "10 failed attempts" in described


def test_the_login_pages_lockout_says_the_same(tenant):
    login = tenant.get("/authorize", params=code_params()).headers["location"]
    form = {"state": query_of(login)["state"], "username": "bob@example.com", "password": "wrong"}
    for _ in range(10):
        assert tenant.post("/u/login", data=form).status_code == 401
    blocked = tenant.post("/u/login", data={**form, "password": "bob-demo-1"})
    assert blocked.status_code == 429
    assert "sent you an email" not in blocked.text
    assert "sends no email" in blocked.text and "15 minutes" in blocked.text
