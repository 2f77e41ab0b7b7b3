"""POST /api/transfer: step-up authentication (RFC 9470) for a token whose login included MFA."""

import pytest
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey

from tests.api.tokens import access_claims, bearer, sign
from tokens.step_up import MFA_POLICY

TRANSFER = {"amount": 25, "to": "savings"}


def test_a_token_without_mfa_is_told_how_to_step_up(site: TestClient, access_tokens: dict[str, str]) -> None:
    response = site.post("/api/transfer", json=TRANSFER, headers=bearer(access_tokens["alice"]))
    assert response.status_code == 401
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer error="insufficient_user_authentication", error_description="')
    assert challenge.endswith(f'acr_values="{MFA_POLICY}"')
    assert response.json()["error"] == "insufficient_user_authentication"


@pytest.mark.parametrize("claims", [{"amr": ["mfa"]}, {"acr": MFA_POLICY}, {"amr": ["pwd", "mfa"]}])
def test_a_token_whose_login_included_mfa_may_transfer(own_key_api: TestClient, test_key: RSAKey,
                                                       claims: dict) -> None:
    token = sign(access_claims(**claims), test_key)
    response = own_key_api.post("/api/transfer", json=TRANSFER, headers=bearer(token))
    assert response.status_code == 200, response.text
    assert "accepted" in response.json()["message"]


@pytest.mark.parametrize("claims", [{}, {"amr": "mfa"}, {"amr": ["pwd"]}, {"acr": "urn:other"}])
def test_other_tokens_are_refused(own_key_api: TestClient, test_key: RSAKey, claims: dict) -> None:
    response = own_key_api.post("/api/transfer", json=TRANSFER, headers=bearer(sign(access_claims(**claims), test_key)))
    assert response.status_code == 401 and "insufficient_user_authentication" in response.headers["www-authenticate"]


def test_no_token_is_a_plain_401(site: TestClient) -> None:
    response = site.post("/api/transfer", json=TRANSFER)
    assert response.status_code == 401
    assert "insufficient_user_authentication" not in response.headers["www-authenticate"]


@pytest.mark.parametrize("body", [{}, {"amount": -1, "to": "x"}, {"amount": 1, "to": "x" * 65}, {"amount": "lots"}])
def test_bad_transfers_are_422(own_key_api: TestClient, test_key: RSAKey, body: dict) -> None:
    token = sign(access_claims(amr=["mfa"]), test_key)
    assert own_key_api.post("/api/transfer", json=body, headers=bearer(token)).status_code == 422


def test_the_docs_describe_the_step_up_answer(site: TestClient) -> None:
    operation = site.get("/openapi.json").json()["paths"]["/api/transfer"]["post"]
    assert "insufficient_user_authentication" in operation["responses"]["401"]["description"]


def test_claims_explains_amr_and_acr(own_key_api: TestClient, test_key: RSAKey) -> None:
    token = sign(access_claims(amr=["mfa"], acr=MFA_POLICY), test_key)
    claims = own_key_api.get("/api/claims", headers=bearer(token)).json()
    text = str(claims)
    assert "second factor" in text and "Auth0's multi-factor policy" in text
