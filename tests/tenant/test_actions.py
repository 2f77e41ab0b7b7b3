"""Post-login Actions: claims on every user login flow, Auth0's event shape, and logins an Action fails."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from main import create_app
from settings import describe_error
from tests.conftest import builtin_settings, claims_of
from tests.tenant.conftest import (
    API,
    M2M,
    SWAGGER_CALLBACK,
    WEB_APP,
    code_params,
    fragment_of,
    password_grant,
    pkce_pair,
    query_of,
    sign_in,
)

SCENARIOS = Path(__file__).parent / "actions" / "scenarios.js"
EMAIL_CLAIM = "https://playground.example/email"
EVENT_CLAIM = "https://tests.example/event"
USER_AGENT = "playground-tests/1.0"


@pytest.fixture(scope="module")
def scripted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A site whose tenant runs the test Action (tests/tenant/actions/scenarios.js) instead of step 11's."""
    settings = builtin_settings(tmp_path_factory.mktemp("actions"), tenant_actions=[SCENARIOS])
    with TestClient(create_app(settings), follow_redirects=False, headers={"user-agent": USER_AGENT}) as client:
        yield client


def scenario(name: str) -> str:
    """Scopes that pick a scenario of the test Action."""
    return f"openid profile email read:messages scenario:{name}"


def code_flow(client: TestClient, scope: str, user: str = "alice") -> dict:
    """Sign in with code + PKCE; return the token response, or the error the callback received."""
    verifier, challenge = pkce_pair()
    params = code_params(scope=scope, code_challenge=challenge, code_challenge_method="S256", prompt="login")
    returned = query_of(sign_in(client, params, f"{user}@example.com", f"{user}-demo-1"))
    if "error" in returned:
        return returned
    answer = client.post("/oauth/token", data={"grant_type": "authorization_code", "code": returned["code"],
                                                       "redirect_uri": SWAGGER_CALLBACK, "client_id": "swagger-ui",
                                                       "code_verifier": verifier})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_step_11_action_runs_by_default_on_code_implicit_and_password_flows(tenant) -> None:
    password = password_grant(tenant)
    assert password.status_code == 200, password.text
    assert claims_of(password.json()["access_token"])[EMAIL_CLAIM] == "alice@example.com"

    code = code_flow(tenant, "openid profile email read:messages")
    assert claims_of(code["access_token"])[EMAIL_CLAIM] == "alice@example.com"
    assert claims_of(code["access_token"])["https://playground.example/email_verified"] is True

    implicit = fragment_of(tenant.get("/authorize", params=code_params(response_type="token")).headers["location"])
    assert claims_of(implicit["access_token"])[EMAIL_CLAIM] == "alice@example.com"


def test_step_11_action_adds_nothing_without_an_api(tenant) -> None:
    answer = password_grant(tenant, audience=None, scope="openid email")
    assert answer.status_code == 200
    assert EMAIL_CLAIM not in claims_of(answer.json()["id_token"])


def test_client_credentials_run_no_post_login_action(tenant) -> None:
    answer = tenant.post("/oauth/token", data={"grant_type": "client_credentials", "audience": API, **M2M})
    assert answer.status_code == 200
    assert EMAIL_CLAIM not in claims_of(answer.json()["access_token"])


def test_refresh_token_exchange_runs_it_again(tenant) -> None:
    first = password_grant(tenant, scope="openid offline_access read:messages").json()
    answer = tenant.post("/oauth/token", data={"grant_type": "refresh_token",
                                                      "refresh_token": first["refresh_token"], **WEB_APP})
    assert answer.status_code == 200, answer.text
    assert claims_of(answer.json()["access_token"])[EMAIL_CLAIM] == "alice@example.com"


def test_actions_see_auth0s_event_and_set_id_token_claims(scripted) -> None:
    tokens = code_flow(scripted, scenario("claims"))
    event = claims_of(tokens["access_token"])[EVENT_CLAIM]
    assert event["user_id"] == claims_of(tokens["access_token"])["sub"]
    assert event | {"user_id": None} == {
        "user_id": None, "email": "alice@example.com", "email_verified": True, "name": "Alice Example",
        "app_metadata": {}, "client_id": "swagger-ui", "client_name": "Swagger UI (/docs)", "roles": ["reader"],
        "ip": "testclient", "user_agent": USER_AGENT, "protocol": "oidc-basic-profile", "resource_server": API,
        "sandbox": "undefined,undefined,undefined,undefined,undefined",
    }
    assert claims_of(tokens["id_token"])["https://tests.example/greeting"] == "Hello Alice Example"
    password = password_grant(scripted, scope=scenario("claims")).json()
    assert claims_of(password["access_token"])[EVENT_CLAIM]["protocol"] == "oauth2-resource-owner"


def test_a_throwing_action_fails_the_login_as_access_denied(scripted) -> None:
    returned = code_flow(scripted, scenario("throw"))
    assert returned == {"error": "access_denied", "state": "xyz",
                        "error_description": "Cannot read properties of undefined (reading 'favorite_color')"}
    answer = password_grant(scripted, scope=scenario("throw"))
    assert answer.status_code == 403
    assert answer.json()["error"] == "access_denied"


def test_api_access_deny_reaches_the_application(scripted) -> None:
    implicit = code_params(response_type="token", scope=scenario("deny"))
    returned = fragment_of(scripted.get("/authorize", params=implicit).headers["location"])
    assert returned == {"error": "access_denied", "error_description": "Only staff may log in here", "state": "xyz"}


@pytest.mark.parametrize(("name", "description"), [
    ("loop", "Request to Webtask exceeded allowed execution time"),
    ("async-loop", "Request to Webtask exceeded allowed execution time"),
    ("memory", "Action execution exceeded its memory limit"),
    ("tojson-loop", "Request to Webtask exceeded allowed execution time"),
    ("deep", "The claim https://tests.example/deep is nested deeper than 32 levels"),
    ("huge", "Custom claims payload exceeds the 100KB limit"),
])
def test_a_runaway_action_fails_only_its_own_login(scripted, name: str, description: str) -> None:
    answer = password_grant(scripted, scope=scenario(name))
    assert answer.status_code == 403
    assert answer.json() == {"error": "access_denied", "error_description": description}
    after = password_grant(scripted, scope=scenario("claims"))
    assert after.status_code == 200, after.text
    assert claims_of(after.json()["access_token"])[EVENT_CLAIM]["email"] == "alice@example.com"


def test_reserved_claims_are_ignored_as_auth0_ignores_them(scripted) -> None:
    tokens = password_grant(scripted, user="bob", scope=scenario("reserved")).json()
    access = claims_of(tokens["access_token"])
    assert access["sub"] == claims_of(tokens["id_token"])["sub"] != "auth0|someone-else"
    assert access["permissions"] == []
    assert claims_of(tokens["id_token"])["email"] == "bob@example.com"
    assert access[EVENT_CLAIM]["email"] == "bob@example.com"


def test_one_login_leaves_nothing_behind_for_the_next(scripted) -> None:
    for _ in range(2):
        access = claims_of(password_grant(scripted, scope=scenario("leak")).json()["access_token"])
        assert access["https://tests.example/logins_seen"] == 0
        assert access["https://tests.example/leaked"] is False


def test_an_empty_list_of_actions_runs_none(tmp_path: Path) -> None:
    with TestClient(create_app(builtin_settings(tmp_path, tenant_actions=[]))) as client:
        answer = password_grant(client)
    assert answer.status_code == 200
    assert EMAIL_CLAIM not in claims_of(answer.json()["access_token"])


def test_a_missing_action_file_stops_start_up_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as raised:
        builtin_settings(tmp_path, tenant_actions=[tmp_path / "missing.js"])
    assert "missing.js is not a file" in describe_error(raised.value)


def test_actions_see_the_profile_and_user_metadata_given_at_sign_up(scripted) -> None:
    profile = {"given_name": "Erin", "family_name": "Example", "username": "erin_e",
               "picture": "https://images.example/erin.png", "user_metadata": {"favorite_color": "teal"}}
    created = scripted.post("/dbconnections/signup", json={
        "client_id": "web-app", "connection": "Username-Password-Authentication", "email": "erin@example.com",
        "password": "Erin-pass-1", **profile})
    assert created.status_code == 200, created.text
    tokens = password_grant(scripted, username="erin@example.com", password="Erin-pass-1", scope=scenario("profile"))
    assert tokens.status_code == 200, tokens.text
    assert claims_of(tokens.json()["id_token"])["https://tests.example/profile"] == profile
