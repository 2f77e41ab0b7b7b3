"""/api/claims says who a token's `sub` is: the email when the token or the tenant's /userinfo can tell."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey

from main import create_app
from tests.api import tokens
from tests.conftest import builtin_settings
from tests.api.tokens import bearer


@pytest.fixture(scope="module")
def site_without_actions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A site whose built-in tenant runs no Action, so access tokens carry no email claim."""
    app = create_app(builtin_settings(tmp_path_factory.mktemp("no-actions"), tenant_actions=[]))
    with TestClient(app) as client:
        yield client


def test_the_email_claim_step_elevens_action_adds_names_the_user(site: TestClient, access_tokens: dict[str, str]) -> None:
    body = site.get("/api/claims", headers=bearer(access_tokens["alice"])).json()
    assert body["sub_is"].startswith("The user alice@example.com (the token's https://")


def test_without_an_email_claim_userinfo_names_the_user(site_without_actions: TestClient) -> None:
    token = tokens.password_grant(site_without_actions, "alice", scope="openid email read:messages")["access_token"]
    body = site_without_actions.get("/api/claims", headers=bearer(token)).json()
    assert body["sub_is"] == "The user alice@example.com, as the tenant's /userinfo answers for this token."


def test_without_the_email_scope_userinfo_cannot_tell(site_without_actions: TestClient) -> None:
    token = tokens.password_grant(site_without_actions, "alice", scope="openid read:messages")["access_token"]
    body = site_without_actions.get("/api/claims", headers=bearer(token)).json()
    assert body["sub_is"].startswith(f"A user whose id at the tenant is {body['claims']['sub']}.")


def test_a_machine_token_is_named_as_its_client(site: TestClient, access_tokens: dict[str, str]) -> None:
    body = site.get("/api/claims", headers=bearer(access_tokens["m2m"])).json()
    assert body["sub_is"] == "The machine-to-machine client m2m: no user is involved."


def test_an_email_claim_in_the_token_is_read_first(own_key_api: TestClient, test_key: RSAKey) -> None:
    claims = tokens.access_claims(**{"https://playground.example/email": "carol@example.com"})
    body = own_key_api.get("/api/claims", headers=bearer(tokens.sign(claims, test_key, kid="test-key"))).json()
    assert body["sub_is"] == "The user carol@example.com (the token's https://playground.example/email claim says so)."


def test_a_token_without_openid_or_email_says_what_would_tell(own_key_api: TestClient, test_key: RSAKey) -> None:
    claims = tokens.access_claims(aud="https://playground/api", scope="read:messages")
    body = own_key_api.get("/api/claims", headers=bearer(tokens.sign(claims, test_key, kid="test-key"))).json()
    assert body["sub_is"].startswith("A user whose id at the tenant is auth0|forged.")
    assert "openid" in body["sub_is"] and "Action" in body["sub_is"]
