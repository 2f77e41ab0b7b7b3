"""Step 18: the failed-logins script asks the Management API for one email's failures and explains each."""

import json

import httpx

from tests.tenant.conftest import LOOPBACK_SITE, loopback_tenant, password_grant  # noqa: F401 (fixture)
from tutorials.logs.failed_logins import explain, failed_logins, management_token

TENANT_URL = "https://tenant.example"
FAILURE = {"type": "fp", "date": "2026-12-03T20:00:00.000Z", "ip": "203.0.113.7",
           "description": "Wrong email or password.", "user_name": "alice@example.com"}


def fake_tenant(request: httpx.Request) -> httpx.Response:
    """The tenant's token endpoint and its Management API's log search."""
    if request.url.path == "/oauth/token":
        assert json.loads(request.content) == {"grant_type": "client_credentials", "client_id": "support-tool",
                                               "client_secret": "its-secret", "audience": f"{TENANT_URL}/api/v2/"}
        return httpx.Response(200, json={"access_token": "management-token", "token_type": "Bearer"})
    assert request.url.path == "/api/v2/logs" and request.headers["authorization"] == "Bearer management-token"
    assert request.url.params["q"] == 'user_name:"alice@example.com" AND type:(fp OR fu OR f OR limit_wc OR ' \
                                      'limit_mu OR fepft OR feacft)'
    assert request.url.params["sort"] == "date:-1" and request.url.params["per_page"] == "10"
    return httpx.Response(200, json=[FAILURE])


def test_the_script_searches_the_failures_of_one_email_and_explains_them() -> None:
    with httpx.Client(transport=httpx.MockTransport(fake_tenant)) as client:
        token = management_token(client, TENANT_URL, "support-tool", "its-secret")
        failures = failed_logins(client, TENANT_URL, token, "alice@example.com")
    assert [explain(event) for event in failures] == [
        "2026-12-03T20:00:00.000Z  wrong password (fp) from 203.0.113.7: Wrong email or password."]


def test_the_script_against_the_built_in_tenant_on_this_machine(loopback_tenant) -> None:
    """On a loopback site the demo m2m application reads the whole log, as an operator's tool would."""
    password_grant(loopback_tenant, password="not-her-password")
    password_grant(loopback_tenant, username="alice@exmaple.com")
    password_grant(loopback_tenant)
    token = management_token(loopback_tenant, LOOPBACK_SITE, "m2m", "m2m-secret")
    failures = failed_logins(loopback_tenant, LOOPBACK_SITE, token, "alice@example.com")
    assert [event["type"] for event in failures] == ["fp"]
    assert explain(failures[0]).endswith("wrong password (fp) from testclient: Wrong email or password.")
