"""The Actions editor's service: a visitor's sample event, a test run and what it did, and their deployed Actions."""

import json
import time

from tenant.actions.engine import ActionDenied, SecretScrubber, result_of
from tenant.actions.event import LoginRequest, login_event
from tenant.actions.visitors import VisitorActions
from tenant.directory import Directory
from tenant.store.users import Users
from tenant.store.visitor_actions import MAX_SOURCE_BYTES, TOO_LARGE, VisitorActionRefused

SAMPLE_CLIENT = "web-app"
SAMPLE_SCOPE = "openid profile email read:messages"
SAMPLE_ADDRESS = "203.0.113.7"
SAMPLE_USER_AGENT = "Mozilla/5.0 (sample event)"
MAX_EVENT_BYTES = 32 * 1024
TEST_STATE = "sample-login-state"
EVENT_NOT_AN_OBJECT = "The sample event must be a JSON object with user and request objects."
EVENT_TOO_LARGE = f"The sample event may hold at most {MAX_EVENT_BYTES // 1024} KB."


class LabRefused(ValueError):
    """A test or deploy refused before it runs; the message says why."""


class ActionsLab:
    """What the site's editor page asks of the tenant, for the signed-in visitor (by their `sub`) alone."""

    def __init__(self, directory: Directory, users: Users, visitors: VisitorActions, issuer: str) -> None:
        self.directory = directory
        self.users = users
        self.visitors = visitors
        self.issuer = issuer

    def user_id(self, sub: str) -> str | None:
        """The tenant's id of a signed-in visitor, if the tenant has them."""
        user_id = sub.removeprefix("auth0|")
        return user_id if sub.startswith("auth0|") and self.users.by_id(user_id) else None

    def sample_event(self, sub: str) -> dict | None:
        """A post-login event as the visitor's next login to the web app would bring it, from their own profile."""
        user_id = self.user_id(sub)
        if user_id is None:
            return None
        user = self.users.by_id(user_id)
        now = int(time.time())
        request = LoginRequest(SAMPLE_ADDRESS, SAMPLE_USER_AGENT, self.issuer.split("/")[2], "GET",
                               {"client_id": SAMPLE_CLIENT, "scope": SAMPLE_SCOPE})
        event = login_event(user, self.directory.client(SAMPLE_CLIENT), self.directory.api.identifier,
                            self.directory.api.identifier, SAMPLE_SCOPE, "authorization_code", request,
                            {"sid": "sample-session", "auth_time": now})
        return {**event, "secrets": {}}

    def test(self, sub: str, source: str, event: object) -> dict:
        """Run the visitor's code once against their event: what it did, or why it failed, and how long it took."""
        user_id = self.user_id(sub)
        if user_id is None:
            raise LabRefused("Sign in with a user of the built-in tenant to test Actions.")
        if len(source.encode()) > MAX_SOURCE_BYTES:
            raise LabRefused(TOO_LARGE)
        if not isinstance(event, dict) or not isinstance(event.get("user"), dict) \
                or not isinstance(event.get("request"), dict):
            raise LabRefused(EVENT_NOT_AN_OBJECT)
        if len(json.dumps(event)) > MAX_EVENT_BYTES:
            raise LabRefused(EVENT_TOO_LARGE)
        started = time.perf_counter()
        try:
            outcome = self.visitors.test(user_id, source, event, {"state": TEST_STATE, "issuer": self.issuer})
            report = what_it_did(outcome, event)
        except ActionDenied as refused:  # the visitor's other run is still going
            report = {"outcome": "error", "description": refused.description, "line": None, "logs": []}
        return {**report, "milliseconds": round((time.perf_counter() - started) * 1000)}

    def deployed(self, sub: str) -> list[dict]:
        """The visitor's deployed Actions."""
        user_id = self.user_id(sub)
        if user_id is None:
            return []
        return [{"name": action.name, "source": action.source} for action in self.visitors.store.actions_of(user_id)]

    def deploy(self, sub: str, name: str, source: str) -> None:
        """Deploy a named Action for the visitor's own logins; LabRefused past the bounds."""
        user_id = self.user_id(sub)
        if user_id is None:
            raise LabRefused("Sign in with a user of the built-in tenant to deploy Actions.")
        try:
            self.visitors.store.deploy(user_id, name.strip(), source)
        except VisitorActionRefused as refused:
            raise LabRefused(str(refused)) from None

    def remove(self, sub: str, name: str) -> bool:
        """Undeploy one of the visitor's Actions."""
        user_id = self.user_id(sub)
        return user_id is not None and self.visitors.store.remove(user_id, name)


def what_it_did(outcome: dict | None, event: dict) -> dict:
    """A test run's report: claims, scopes, MFA and redirect; or the denial; or the error and its line."""
    try:
        result = result_of(outcome, SecretScrubber(event.get("secrets") if isinstance(event.get("secrets"), dict)
                                                   else {}))
    except ActionDenied as refused:
        return {"outcome": "denied" if refused.denied else "error", "error": "access_denied",
                "description": refused.description, "line": refused.line, "logs": list(refused.logs)}
    claims = result.claims
    return {"outcome": "redirect" if result.redirect else "ok", "access_token": claims.access, "id_token": claims.id,
            "scopes_added": list(claims.add_scopes), "scopes_removed": list(claims.remove_scopes),
            "mfa": claims.mfa, "redirect": result.redirect, "user_metadata": result.user_metadata,
            "app_metadata": result.app_metadata, "logs": list(result.logs)}
