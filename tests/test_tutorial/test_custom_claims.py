"""The post-login Action sets namespaced claims, and the API reads the same name back."""

import json
from pathlib import Path

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
