"""The Actions editor's endpoints: Test reports what an Action did, Deploy changes the visitor's own logins only."""

import html
import json
import re
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from main import create_app
from tenant.actions.engine import DENIED_WITHOUT_REASON
from tenant.store.visitor_actions import MAX_ACTIONS_PER_VISITOR, TOO_MANY, VisitorActionStore
from tests.conftest import builtin_settings, claims_of
from tests.login.tenant_form import log_in
from tests.tenant.conftest import password_grant

SITE = "http://testserver"
CSRF = re.compile(r'data-csrf="([^"]+)"')
ROLE_CLAIM = "https://playground.example/greeting"
GREETING = """exports.onExecutePostLogin = async (event, api) => {
  console.log("greeting", event.user.email);
  api.accessToken.setCustomClaim("https://playground.example/greeting", `hello ${event.user.name}`);
};"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    """One site for the module's visitors."""
    return create_app(builtin_settings(tmp_path_factory.mktemp("editor")))


@pytest.fixture
def visitor(app) -> Iterator[TestClient]:
    """A browser on the site, not signed in."""
    with TestClient(app, follow_redirects=False) as client:
        yield client


def signed_in(client: TestClient, user: str = "alice") -> str:
    """Sign the client in through the site's web login; the editor page's CSRF token."""
    log_in(client, f"{user}@example.com", f"{user}-demo-1", start="/auth/login?returnTo=/actions")
    page = client.get("/actions")
    assert page.status_code == 200, page.text
    return CSRF.search(page.text).group(1)


def sample_of(client: TestClient) -> dict:
    """The sample event the editor page prefills (its textarea's JSON)."""
    page = client.get("/actions").text
    found = re.search(r"data-action-event>(.*?)</textarea>", page, re.S)
    return json.loads(html.unescape(found.group(1)))


def post(client: TestClient, path: str, csrf: str, body: dict, **headers: str):
    """A POST from the editor's page."""
    return client.post(path, json=body, headers={"x-csrf-token": csrf, "origin": SITE, **headers})


def test_a_signed_out_visitor_is_sent_to_log_in_first(visitor) -> None:
    answer = visitor.get("/actions")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/auth/login?returnTo=%2Factions"


def test_the_sample_event_is_the_visitors_own_profile_without_the_sites_secrets(visitor) -> None:
    signed_in(visitor, "bob")
    event = sample_of(visitor)
    assert event["user"]["email"] == "bob@example.com"
    assert event["secrets"] == {}
    assert event["transaction"]["protocol"] == "oidc-basic-profile"


def test_test_shows_claims_console_output_and_time(visitor) -> None:
    csrf = signed_in(visitor)
    run = post(visitor, "/actions/test", csrf, {"source": GREETING, "event": sample_of(visitor)}).json()
    assert run["outcome"] == "ok"
    assert run["access_token"] == {ROLE_CLAIM: "hello Alice Example"}
    assert run["logs"] == ["greeting alice@example.com"]
    assert run["milliseconds"] >= 0


def test_test_shows_a_denial_with_auth0s_message(visitor) -> None:
    csrf = signed_in(visitor)
    source = "exports.onExecutePostLogin = async (event, api) => { api.access.deny(); };"
    run = post(visitor, "/actions/test", csrf, {"source": source, "event": sample_of(visitor)}).json()
    assert (run["outcome"], run["error"], run["description"]) == ("denied", "access_denied", DENIED_WITHOUT_REASON)


@pytest.mark.parametrize(("source", "line", "description"), [
    ("exports.onExecutePostLogin = async (event, api) => {\n  const color = event.user.missing.color;\n};", 2,
     "Cannot read properties of undefined (reading 'color')"),
    ("exports.onExecutePostLogin = async (event, api) => {\n\n  api.idToken.setCustomClaim(;\n};", 3,
     "Unexpected token ';'"),
])
def test_test_shows_an_error_with_its_line(visitor, source: str, line: int, description: str) -> None:
    csrf = signed_in(visitor)
    run = post(visitor, "/actions/test", csrf, {"source": source, "event": sample_of(visitor)}).json()
    assert (run["outcome"], run["line"], run["description"]) == ("error", line, description)


def test_test_shows_mfa_scopes_and_a_redirect(visitor) -> None:
    csrf = signed_in(visitor)
    source = """exports.onExecutePostLogin = async (event, api) => {
  api.multifactor.enable("any");
  api.accessToken.addScope("extra:scope");
  api.redirect.sendUserTo("https://profile.example/more", { query: { step: "1" } });
};"""
    run = post(visitor, "/actions/test", csrf, {"source": source, "event": sample_of(visitor)}).json()
    assert run["outcome"] == "redirect"
    assert run["mfa"] == {"provider": "any", "allowRememberBrowser": False}
    assert run["scopes_added"] == ["extra:scope"]
    assert run["redirect"]["url"] == "https://profile.example/more"


def test_posts_without_the_pages_token_or_from_another_origin_are_refused(visitor) -> None:
    csrf = signed_in(visitor)
    body = {"source": GREETING, "event": sample_of(visitor)}
    assert post(visitor, "/actions/test", "forged", body).status_code == 403
    assert post(visitor, "/actions/test", csrf, body, origin="https://evil.example").status_code == 403
    assert post(visitor, "/actions/deploy", "forged", {"name": "x", "source": GREETING}).status_code == 403


def test_a_deployed_action_changes_only_its_visitors_tokens(app, visitor) -> None:
    csrf = signed_in(visitor, "alice")
    deployed = post(visitor, "/actions/deploy", csrf, {"name": "Greeting", "source": GREETING})
    assert deployed.status_code == 200, deployed.text
    assert deployed.json()["deployed"] == [{"name": "Greeting", "source": GREETING}]
    alice = claims_of(password_grant(visitor, "alice").json()["access_token"])
    bob = claims_of(password_grant(visitor, "bob").json()["access_token"])
    assert alice[ROLE_CLAIM] == "hello Alice Example"
    assert ROLE_CLAIM not in bob
    assert alice["https://playground.example/email"] == "alice@example.com"  # the operator's Action ran too
    removed = post(visitor, "/actions/remove", csrf, {"name": "Greeting"})
    assert removed.json()["deployed"] == []
    assert ROLE_CLAIM not in claims_of(password_grant(visitor, "alice").json()["access_token"])


def test_a_visitor_may_deploy_only_so_many_actions_of_bounded_size(visitor) -> None:
    csrf = signed_in(visitor, "admin")
    for number in range(MAX_ACTIONS_PER_VISITOR):
        assert post(visitor, "/actions/deploy", csrf, {"name": f"a{number}", "source": GREETING}).status_code == 200
    refused = post(visitor, "/actions/deploy", csrf, {"name": "one more", "source": GREETING})
    assert refused.status_code == 400 and refused.json() == {"detail": TOO_MANY}
    assert post(visitor, "/actions/deploy", csrf, {"name": "a0", "source": "x" * 20000}).status_code == 422


def test_deployed_actions_go_when_they_expire_or_with_their_user(app, monkeypatch) -> None:
    tenant = app.state.builtin_tenant.tenant
    store = VisitorActionStore(tenant.store)
    store.deploy("someone", "kept", GREETING)
    store.forget("someone")
    assert store.actions_of("someone") == []
    erin = tenant.users.sign_up("erin@example.com", "Erin-pass-1")
    store.deploy(erin.get_user_id(), "mine", GREETING)
    tenant.store.delete_user(erin.get_user_id())
    assert store.actions_of(erin.get_user_id()) == []
    store.deploy("someone", "old", GREETING)
    before = store.count()
    later = time.time() + 8 * 24 * 3600
    monkeypatch.setattr("tenant.store.visitor_actions.time.time", lambda: later)
    assert store.actions_of("someone") == []
    store.store.purge_expired()  # tenant/store/store.py reads the same patched clock
    assert store.count() < before
