"""/dbconnections/signup with the profile attributes Auth0 accepts, and where they show up afterwards."""

import pytest

from tests.conftest import claims_of
from tests.tenant.conftest import password_grant

CONNECTION = "Username-Password-Authentication"


def sign_up(tenant, **fields: object):
    """POST /dbconnections/signup as JSON for a new user."""
    return tenant.post("/dbconnections/signup", json={
        "client_id": "web-app", "connection": CONNECTION, "email": "erin@example.com", "password": "Erin-pass-1",
        **fields})


def test_profile_attributes_are_kept_returned_and_claimed(tenant):
    created = sign_up(tenant, given_name="Erin", family_name="Example", name="Erin Example", nickname="erin.e",
                      picture="https://example.com/erin.png", username="erin", user_metadata={"plan": "pro"})
    assert created.status_code == 200, created.text
    assert created.json() | {"_id": "x"} == {
        "_id": "x", "email_verified": False, "email": "erin@example.com", "given_name": "Erin",
        "family_name": "Example", "name": "Erin Example", "nickname": "erin.e", "picture": "https://example.com/erin.png",
        "username": "erin", "user_metadata": {"plan": "pro"}}
    body = password_grant(tenant, "erin", password="Erin-pass-1", username="erin@example.com",
                          scope="openid profile email").json()
    claims = claims_of(body["id_token"])
    assert (claims["given_name"], claims["family_name"], claims["name"], claims["nickname"], claims["picture"]) == (
        "Erin", "Example", "Erin Example", "erin.e", "https://example.com/erin.png")
    assert "user_metadata" not in claims
    userinfo = tenant.get("/userinfo", headers={"Authorization": f"Bearer {body['access_token']}"}).json()
    assert userinfo["given_name"] == "Erin" and userinfo["picture"] == "https://example.com/erin.png"


@pytest.mark.parametrize(("fields", "message"), [
    ({"user_metadata": {str(n): "v" for n in range(11)}}, "at most 10 properties"),
    ({"user_metadata": {"plan": 3}}, "must be a string"),
    ({"user_metadata": {"plan": "x" * 501}}, "at most 500 characters"),
    ({"user_metadata": "not an object"}, "must be an object"),
    ({"user_metadata": "[" * 3000}, "must be an object"),
    ({"given_name": "x" * 151}, "given_name must be 1 to 150 characters"),
    ({"picture": "javascript:alert(1)"}, "picture must be an http(s) URL"),
])
def test_profile_attributes_beyond_auth0s_limits_are_refused(tenant, fields, message):
    refused = sign_up(tenant, **fields)
    assert refused.status_code == 400 and message in refused.json()["description"]
    assert refused.json()["code"] == "invalid_signup"
