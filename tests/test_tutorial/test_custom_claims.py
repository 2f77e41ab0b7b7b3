"""The post-login Action sets namespaced claims, and the API reads the same name back."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, claims_of
from tests.test_tutorial.conftest import user_token
from tutorials.custom_claims.read_claim import NAMESPACE, email_from

ACTION = Path(__file__).resolve().parents[2] / "tutorials" / "custom_claims" / "add-email-to-access-token.js"
# Runs the Action as Auth0 would, with a recording `api`, in the browser's JavaScript engine.
RUN_ACTION = """async ([source, event]) => {
  const exports = {};
  new Function("exports", source)(exports);
  const claims = {};
  const api = { accessToken: { setCustomClaim: (name, value) => { claims[name] = value; } } };
  await exports.onExecutePostLogin(event, api);
  return claims;
}"""


def run_action(page, event: dict) -> dict:
    """The claims the Action adds to the access token for this login event."""
    return page.evaluate(RUN_ACTION, [ACTION.read_text(encoding="utf-8"), event])


def test_action_adds_the_email_under_the_namespace_the_api_reads(page) -> None:
    claims = run_action(page, {"user": {"email": "alice@example.com", "email_verified": True},
                               "authorization": {"roles": []}})
    assert claims == {f"{NAMESPACE}email": "alice@example.com", f"{NAMESPACE}email_verified": True}
    assert email_from(claims) == "alice@example.com"


def test_action_adds_nothing_without_an_api_or_an_email(page) -> None:
    assert run_action(page, {"user": {"email": "alice@example.com"}}) == {}
    assert run_action(page, {"user": {}, "authorization": {"roles": []}}) == {}


def test_claims_without_the_action_have_no_email() -> None:
    assert email_from(json.loads('{"sub": "auth0|bob"}')) is None


def test_the_builtin_tenant_runs_the_action_and_api_claims_explains_it(site) -> None:
    signed_in = site.post("/auth/token", json={"email": "alice@example.com", "password": "alice-demo-1"})
    assert signed_in.status_code == 200, signed_in.text
    report = site.get("/api/claims", headers={"Authorization": f"Bearer {signed_in.json()['data']}"}).json()
    assert email_from(report["claims"]) == "alice@example.com"
    assert "step 11" in report["claims_explained"][f"{NAMESPACE}email"]
    assert "Auth0User.email" in report["claims_explained"][f"{NAMESPACE}email"]


# The example reads AUTH0_RULE_NAMESPACE when fastapi-auth0 is first imported: run it in a fresh interpreter.
CALL_EXAMPLE = """
import sys
from fastapi.testclient import TestClient
from tutorials.custom_claims.api import app
with TestClient(app) as client:
    answer = client.get("/api/me", headers={"Authorization": "Bearer " + sys.argv[1]})
print(answer.status_code, answer.text)
"""


def test_fastapi_auth0_fills_auth0user_email_from_the_actions_claim(live_server: str) -> None:
    token = user_token(f"{live_server}", "alice@example.com")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AUTH0_")}
    environment.update(AUTH0_DOMAIN=f"{live_server}", PYTHONPATH=str(ROOT))
    ran = subprocess.run([sys.executable, "-c", CALL_EXAMPLE, token], cwd=ROOT, env=environment,
                         capture_output=True, text=True, timeout=60)
    status, _, body = ran.stdout.strip().partition(" ")
    assert status == "200", ran.stdout + ran.stderr
    assert json.loads(body) == {"id": claims_of(token)["sub"], "email": "alice@example.com"}
