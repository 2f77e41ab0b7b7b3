"""Hints the application passes to the login page (screen_hint, login_hint), and change_password's client_id."""

from tests.tenant.conftest import code_params


def login_page_for(tenant, **params: str):
    """Follow /authorize to the login page."""
    location = tenant.get("/authorize", params=code_params(**params)).headers["location"]
    return tenant.get(location)


def test_screen_hint_signup_opens_the_sign_up_form(tenant):
    page = login_page_for(tenant, screen_hint="signup")
    assert "Create your account" in page.text and 'action="http://testserver/u/signup"' in page.text
    assert "Create your account" not in login_page_for(tenant).text


def test_login_hint_fills_in_the_email(tenant):
    page = login_page_for(tenant, login_hint="bob@example.com")
    assert 'name="username" value="bob@example.com"' in page.text
    escaped = login_page_for(tenant, login_hint='"><b>x')
    assert "<b>x" not in escaped.text and "&#34;&gt;&lt;b&gt;x" in escaped.text


def test_change_password_needs_no_client_id_but_refuses_an_unknown_one(tenant):
    request = {"email": "alice@example.com", "connection": "Username-Password-Authentication"}
    assert tenant.post("/dbconnections/change_password", json=request).status_code == 200
    unknown = tenant.post("/dbconnections/change_password", json={**request, "client_id": "nobody"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "invalid_client"
