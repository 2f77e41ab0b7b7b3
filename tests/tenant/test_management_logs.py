"""/api/v2/logs on a deployed (non-loopback) site: public demo credentials read no visitor's events; a visitor's app
reads its own."""

from fastapi.testclient import TestClient

from tests.tenant.conftest import M2M, password_grant
from tests.tenant.test_log_storage import every_stored_value

MANAGEMENT_AUDIENCE = "http://testserver/api/v2/"
ALICE_ID = "auth0|ff8d9819fc0e12bf0d24892e"


def management_token(client: TestClient, credentials: dict, scope: str | None = None) -> dict[str, str]:
    """The Authorization header of a Management API token for these client credentials."""
    data = {"grant_type": "client_credentials", "audience": MANAGEMENT_AUDIENCE, **credentials}
    if scope:
        data["scope"] = scope
    answer = client.post("/oauth/token", data=data)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def visitor_app(client: TestClient) -> dict[str, str]:
    """The credentials of an application a visitor made on the site for the Management API."""
    app, secret = client.app.state.builtin_tenant.tenant.apps.create("visitor-one", "my backend")
    return {"client_id": app.client_id, "client_secret": secret}


def all_event_ids(client: TestClient) -> list[str]:
    """The ids of every recorded event, read in the tenant's process."""
    from tenant.store.logs import LogQuery

    logs = client.app.state.builtin_tenant.tenant.logs
    logs.flush()
    return [event["log_id"] for event in logs.store.events(LogQuery(everything=True), 1000)]


def test_the_public_demo_credentials_read_no_visitors_events(tenant):
    password_grant(tenant, password="someone-elses-typo")
    password_grant(tenant)
    demo = management_token(tenant, M2M)
    assert tenant.get("/api/v2/logs", headers=demo).json() == []
    assert tenant.get("/api/v2/logs", params={"include_totals": "true"}, headers=demo).json()["total"] == 0
    for log_id in all_event_ids(tenant):
        assert tenant.get(f"/api/v2/logs/{log_id}", headers=demo).status_code == 404
    assert tenant.get(f"/api/v2/users/{ALICE_ID}/logs", headers=demo).json() == []


def test_a_visitors_application_reads_its_users_and_its_own_requests_only(tenant):
    password_grant(tenant, password="someone-elses-typo")
    mine = visitor_app(tenant)
    headers = management_token(tenant, mine)
    created = tenant.post("/api/v2/users", headers=headers, json={
        "connection": "Username-Password-Authentication", "email": "mine@example.com", "password": "Mine-pass-9!"})
    assert created.status_code == 201, created.text
    password_grant(tenant, username="mine@example.com", password="wrong")
    events = tenant.get("/api/v2/logs", headers=headers).json()
    assert [event["type"] for event in events] == ["fp", "sapi", "seccft"]
    change = events[1]
    assert change["client_id"] == mine["client_id"] and change["description"] == "POST /api/v2/users"
    assert change["details"] == {"request": {"method": "POST", "path": "/api/v2/users"}, "response": {"statusCode": 201}}
    stored = every_stored_value(tenant)
    assert "Mine-pass-9!" not in stored and mine["client_secret"] not in stored
    assert headers["Authorization"].split()[1] not in stored
    assert all(event.get("user_id") != ALICE_ID for event in events)
    [failure] = tenant.get(f"/api/v2/users/{created.json()['user_id']}/logs", headers=headers).json()
    assert failure["type"] == "fp" and failure["user_name"] == "mine@example.com"
    assert tenant.get(f"/api/v2/logs/{failure['log_id']}", headers=headers).json()["type"] == "fp"
    assert tenant.get(f"/api/v2/users/{ALICE_ID}/logs", headers=headers).json() == []


def test_logs_need_the_read_logs_scope(tenant):
    headers = management_token(tenant, visitor_app(tenant), scope="read:users")
    refused = tenant.get("/api/v2/logs", headers=headers)
    assert refused.status_code == 403
    assert refused.json()["errorCode"] == "insufficient_scope" and "read:logs" in refused.json()["message"]
    assert tenant.get("/api/v2/logs").status_code == 401


def test_a_query_it_cannot_read_is_auth0s_400(tenant):
    headers = management_token(tenant, visitor_app(tenant))
    refused = tenant.get("/api/v2/logs", params={"q": "password:x"}, headers=headers)
    assert refused.status_code == 400 and refused.json()["errorCode"] == "invalid_query_string"
    assert tenant.get("/api/v2/logs", params={"per_page": "1000"}, headers=headers).status_code == 400
