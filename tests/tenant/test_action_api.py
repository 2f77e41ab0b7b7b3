"""Auth0's post-login `event` and each `api` member, used by a real Action on the tenant's real flows."""

import time
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from fastapi.testclient import TestClient

from main import create_app
from tenant.actions.engine import DENIED_WITHOUT_REASON
from tenant.grants.base import REDIRECT_NOT_INTERACTIVE
from tenant.mfa.policy import MFA_REQUIRED_DESCRIPTION
from tests.conftest import builtin_settings, claims_of
from tests.tenant.mfa_steps import enroll
from tests.tenant.conftest import (
    SWAGGER_CALLBACK, code_params, password_grant, pkce_pair, query_of, sign_in,
)

ACTION = Path(__file__).parent / "actions" / "api_members.js"
SECRETS = {"API_KEY": "key-4f9a2c", "REDIRECT_SECRET": "redirect-secret-of-at-least-32-bytes!"}
CLAIM = "https://tests.example/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A site whose tenant runs tests/tenant/actions/api_members.js with two secrets."""
    settings = builtin_settings(tmp_path_factory.mktemp("api"), tenant_actions=[ACTION],
                                tenant_action_secrets=SECRETS)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


def using(client: TestClient, member: str, user: str = "alice") -> dict:
    """The password grant's answer for a login that asks the Action to use one member."""
    return password_grant(client, user=user, scope=f"openid profile read:messages use:{member}").json()


def authorize_as(client: TestClient, member: str, user: str = "bob") -> tuple[str, str]:
    """Sign in through /authorize for a login that uses `member`; where the browser goes, and the PKCE verifier."""
    verifier, challenge = pkce_pair()
    params = code_params(scope=f"openid profile read:messages use:{member}", code_challenge=challenge,
                         code_challenge_method="S256", prompt="login")
    return sign_in(client, params, f"{user}@example.com", f"{user}-demo-1"), verifier


def redeem(client: TestClient, location: str, verifier: str) -> dict:
    """Exchange the code the application got for tokens."""
    answer = client.post("/oauth/token", data={"grant_type": "authorization_code", "code": query_of(location)["code"],
                                               "redirect_uri": SWAGGER_CALLBACK, "client_id": "swagger-ui",
                                               "code_verifier": verifier})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_event_secrets_come_from_configuration(site) -> None:
    assert claims_of(using(site, "secrets")["access_token"])[f"{CLAIM}key_length"] == len(SECRETS["API_KEY"])


def test_a_secret_never_shows_in_the_error_an_application_gets(site) -> None:
    answer = using(site, "leak-secret")
    assert answer == {"error": "access_denied", "error_description": "upstream refused key [secret]"}


def test_metadata_an_action_sets_is_kept_and_seen_by_the_next_login(site) -> None:
    first = claims_of(using(site, "metadata", user="admin")["access_token"])[f"{CLAIM}seen"]
    second = claims_of(using(site, "metadata", user="admin")["access_token"])[f"{CLAIM}seen"]
    assert first == {"app": {}, "user": {}}
    assert second == {"app": {"plan": "gold"}, "user": {"visits": 1}}


def test_add_scope_and_remove_scope_change_the_access_tokens_scope(site) -> None:
    answer = using(site, "scopes")
    scopes = claims_of(answer["access_token"])["scope"].split()
    assert "extra:scope" in scopes and "read:messages" not in scopes
    assert answer["scope"] == claims_of(answer["access_token"])["scope"]


def test_multifactor_enable_asks_for_mfa(site) -> None:
    answer = using(site, "mfa")
    assert (answer["error"], answer["error_description"]) == ("mfa_required", MFA_REQUIRED_DESCRIPTION)
    assert answer["mfa_token"]
    location, _ = authorize_as(site, "mfa")
    assert "/u/mfa-otp-enrollment?state=" in location  # bob has no authenticator yet: enroll one, then the code


def test_an_action_asking_for_mfa_runs_once_per_login(site) -> None:
    assert site.post("/dbconnections/signup", json={
        "client_id": "web-app", "email": "carol@example.com", "password": "carol-demo-1",
        "connection": "Username-Password-Authentication"}).status_code == 200
    location, verifier = authorize_as(site, "mfa-counted", user="carol")
    _, _, location = enroll(site, location)
    tokens = redeem(site, location, verifier)
    # The Action counts its runs in app_metadata: it ran before the code page, and not again after it.
    assert claims_of(tokens["id_token"])[f"{CLAIM}runs"] == 1
    assert claims_of(tokens["id_token"])["amr"] == ["mfa"]


def test_deny_without_a_reason_gives_auth0s_description(site) -> None:
    assert using(site, "deny") == {"error": "access_denied", "error_description": DENIED_WITHOUT_REASON}


def test_a_member_the_tenant_lacks_fails_the_login_naming_it(site) -> None:
    answer = using(site, "missing")
    assert answer == {"error": "access_denied",
                      "error_description": "api.cache.get() is not supported by this playground tenant"}


def event_of_a_login(site: TestClient) -> dict:
    """What the Action saw of bob's next browser login."""
    location, verifier = authorize_as(site, "event")
    return claims_of(redeem(site, location, verifier)["id_token"])[f"{CLAIM}event"]


def test_the_event_has_stats_tenant_request_and_session_and_secret_names(site) -> None:
    first, second = event_of_a_login(site), event_of_a_login(site)
    assert second["logins_count"] == first["logins_count"] + 1 == second["user_logins_count"]
    assert {name: value for name, value in second.items() if "logins_count" not in name} == {
        "tenant": "playground", "hostname": "testserver", "query_client": "swagger-ui", "session": True,
        "secrets": ["API_KEY", "REDIRECT_SECRET"], "last_login": True}


def test_a_redirect_and_continue_round_trip_finishes_the_login(site) -> None:
    location, verifier = authorize_as(site, "redirect")
    assert location.startswith("https://profile.example/complete?")
    sent = query_of(location)
    claims = jwt.decode(sent["session_token"], SECRETS["REDIRECT_SECRET"], algorithms=["HS256"])
    assert claims["step"] == "profile" and claims["state"] == sent["state"]
    assert claims["sub"].startswith("auth0|")
    answer = jwt.encode({"state": sent["state"], "favorite_color": "teal", "exp": int(time.time()) + 60},
                        SECRETS["REDIRECT_SECRET"], algorithm="HS256")
    back = site.get("/continue", params={"state": sent["state"], "session_token": answer})
    assert back.status_code == 302, back.text
    assert back.headers["location"].startswith(SWAGGER_CALLBACK)
    access = claims_of(redeem(site, back.headers["location"], verifier)["access_token"])
    assert access[f"{CLAIM}favorite_color"] == "teal"
    assert access[f"{CLAIM}ran"] is True
    assert site.get("/continue", params={"state": sent["state"]}).status_code == 400


def test_a_forged_continue_token_fails_the_login(site) -> None:
    location, _ = authorize_as(site, "redirect")
    state = query_of(location)["state"]
    forged = jwt.encode({"state": state, "favorite_color": "red", "exp": int(time.time()) + 60},
                        "not-the-secret-but-long-enough-anyway", algorithm="HS256")
    back = site.get("/continue", params={"state": state, "session_token": forged})
    assert query_of(back.headers["location"]) == {"error": "access_denied", "error_description": "invalid signature",
                                                  "state": "xyz"}


def test_a_redirect_in_a_flow_without_a_browser_fails_the_login(site) -> None:
    assert using(site, "redirect") == {"error": "access_denied", "error_description": REDIRECT_NOT_INTERACTIVE}
