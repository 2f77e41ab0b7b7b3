"""A NUL character (which PostgreSQL cannot store in text) gets a 400 where it reaches the database, never a 500,
and a login that carried one does not stop the tenant's log from being written."""

from tenant.unstorable import UNSTORABLE
from tests.tenant.conftest import password_grant
from tests.tenant.management import management_token
from tests.tenant.test_logs import logged

CONNECTION = "Username-Password-Authentication"


def test_a_sign_up_with_a_nul_in_the_email_is_refused_as_an_invalid_email(tenant) -> None:
    answer = tenant.post("/dbconnections/signup", json={"client_id": "web-app", "email": "nul\x00@example.com",
                                                         "password": "Nul-refused-1", "connection": CONNECTION})
    assert answer.status_code == 400, answer.text
    assert answer.json()["name"] == "BadRequestError"


def test_a_password_reset_for_an_email_with_a_nul_is_no_500(tenant) -> None:
    answer = tenant.post("/dbconnections/change_password", json={
        "client_id": "web-app", "email": "nul\x00@example.com", "connection": CONNECTION})
    # SQLite keeps the NUL and answers as for any unknown address; PostgreSQL cannot, and the answer says why.
    assert answer.status_code in (200, 400), answer.text
    if answer.status_code == 400:
        assert answer.json() == {"name": "BadRequestError", "code": "invalid_body", "description": UNSTORABLE,
                                 "statusCode": 400}


def test_the_management_api_refuses_a_nul_with_auth0s_400_or_404(tenant) -> None:
    headers = management_token(tenant)
    by_email = tenant.get("/api/v2/users-by-email", headers=headers, params={"email": "nul\x00@example.com"})
    assert by_email.status_code in (200, 400), by_email.text
    if by_email.status_code == 400:
        assert by_email.json()["message"] == UNSTORABLE
    for path in ("/api/v2/logs/a%00b", "/api/v2/roles/a%00b"):
        answer = tenant.get(path, headers=headers)
        assert answer.status_code in (400, 404), (path, answer.text)


def test_a_login_naming_a_client_with_a_nul_still_leaves_every_event_in_the_log(tenant) -> None:
    refused = tenant.post("/oauth/token", data={"grant_type": "password", "username": "alice@example.com",
                                                "password": "alice-demo-1", "client_id": "web\x00app"})
    assert refused.status_code == 401, refused.text
    assert password_grant(tenant).status_code == 200
    events = logged(tenant)
    assert events[-1]["type"] == "sepft"
    assert any(event.get("client_id") == "web\ufffdapp" for event in events), events
