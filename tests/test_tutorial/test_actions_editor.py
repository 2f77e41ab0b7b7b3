"""Step 21's Actions, run by the tenant's own engine: through the editor's Test, and deployed on real logins."""

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from main import create_app
from tests.conftest import builtin_settings, claims_of
from tests.login.tenant_form import log_in
from tests.tenant.conftest import (
    SWAGGER_CALLBACK, code_params, pkce_pair, query_of, sign_in,
)
from tutorials.actions_editor.complete_profile import answer_token, continue_url

EXAMPLES = Path(__file__).resolve().parents[2] / "tutorials" / "actions_editor"
NAMESPACE = "https://playground.example"
SECRET = "a-profile-secret-shared-with-the-application"


def example(name: str) -> str:
    """One of step 21's Actions."""
    return (EXAMPLES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str, dict]]:
    """alice signed in on a site: her client, the editor's CSRF token and her sample event."""
    with TestClient(create_app(builtin_settings(tmp_path_factory.mktemp("step21"))), follow_redirects=False) as client:
        log_in(client, "alice@example.com", "alice-demo-1", start="/auth/login?returnTo=/actions")
        page = client.get("/actions").text
        csrf = re.search(r'data-csrf="([^"]+)"', page).group(1)
        sample = json.loads(html.unescape(re.search(r"data-action-event>(.*?)</textarea>", page, re.S).group(1)))
        yield client, csrf, sample


def report_for(editor, source: str, **changes: object) -> dict:
    """What the editor's Test reports for `source` against alice's sample event with `changes` merged in."""
    client, csrf, sample = editor
    event = json.loads(json.dumps(sample))
    for path, value in changes.items():
        *parents, last = path.split("__")
        target = event
        for name in parents:
            target = target.setdefault(name, {})
        target[last] = value
    answer = client.post("/actions/test", json={"source": source, "event": event}, headers={"x-csrf-token": csrf})
    assert answer.status_code == 200, answer.text
    return answer.json()




def test_the_role_claim_goes_in_both_tokens(editor) -> None:
    run = report_for(editor, example("add-role-claim.js"), authorization__roles=["admin", "editor"])
    assert run["access_token"] == run["id_token"] == {f"{NAMESPACE}/roles": ["admin", "editor"]}


def test_a_blocked_user_is_denied_with_the_actions_reason(editor) -> None:
    run = report_for(editor, example("deny-blocked-user.js"), user__app_metadata={"blocked": True})
    assert (run["outcome"], run["description"]) == ("denied", "Your account is blocked. Ask the workshop's instructor.")
    assert report_for(editor, example("deny-blocked-user.js"))["outcome"] == "ok"


def test_mfa_is_asked_for_admins_only(editor) -> None:
    assert report_for(editor, example("mfa-for-admins.js"), authorization__roles=["admin"])["mfa"] == {
        "provider": "any", "allowRememberBrowser": False}
    assert report_for(editor, example("mfa-for-admins.js"), authorization__roles=[])["mfa"] is None


def test_a_profile_without_a_color_is_sent_to_the_profile_page(editor) -> None:
    run = report_for(editor, example("progressive-profile.js"), secrets={"PROFILE_SECRET": SECRET})
    assert run["outcome"] == "redirect"
    assert run["redirect"]["url"] == "http://localhost:3000/complete-profile"
    assert "session_token" in run["redirect"]["query"]
    done = report_for(editor, example("progressive-profile.js"), secrets={"PROFILE_SECRET": SECRET},
                    user__user_metadata={"favorite_color": "teal"})
    assert done["outcome"] == "ok"


def test_progressive_profiling_round_trip_on_the_tenant(tmp_path: Path) -> None:
    action = tmp_path / "progressive-profile.js"
    action.write_text(example("progressive-profile.js"), encoding="utf-8")
    settings = builtin_settings(tmp_path, tenant_actions=[action], tenant_action_secrets={"PROFILE_SECRET": SECRET})
    with TestClient(create_app(settings), follow_redirects=False) as client:
        verifier, challenge = pkce_pair()
        params = code_params(code_challenge=challenge, code_challenge_method="S256")
        profile_page = sign_in(client, params, "bob@example.com", "bob-demo-1")
        asked = query_of(profile_page)
        token = answer_token(asked["session_token"], asked["state"], "teal", SECRET)
        back = client.get(continue_url("http://testserver/", asked["state"], token))
        assert back.headers["location"].startswith(SWAGGER_CALLBACK)
        tokens = client.post("/oauth/token", data={
            "grant_type": "authorization_code", "code": query_of(back.headers["location"])["code"],
            "redirect_uri": SWAGGER_CALLBACK, "client_id": "swagger-ui", "code_verifier": verifier}).json()
        assert claims_of(tokens["id_token"])[f"{NAMESPACE}/favorite_color"] == "teal"
        again = sign_in(client, {**params, "prompt": "login"}, "bob@example.com", "bob-demo-1")
        assert again.startswith(SWAGGER_CALLBACK)  # the color is kept: no second detour
