"""POST /decoder/checks: each check this API runs, marked passed or failed on its own; not a JWT is a clear 400."""

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey

from routers import api, decoder
from tests.api import tokens
from tests.conftest import builtin_settings

CHECKS = ["alg", "signature", "exp", "nbf", "iss", "aud"]


@pytest.fixture(scope="module")
def own_key_decoder(test_key: RSAKey, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The decoder router alone, with the API's checks trusting only `test_key` as the tenant's key."""
    settings = builtin_settings(Path(tmp_path_factory.mktemp("decoder")))
    jwks = tokens.jwks_of(test_key)
    app = FastAPI()
    app.state.token_verifier = api.token_verifier(settings, lambda: jwks)
    app.include_router(decoder.router)
    with TestClient(app) as client:
        yield client


def outcomes(client: TestClient, token: str) -> dict[str, dict]:
    """The checks the endpoint reports for `token`, by name."""
    response = client.post("/decoder/checks", json={"token": token})
    assert response.status_code == 200, response.text
    checks = {check["name"]: check for check in response.json()["checks"]}
    assert list(checks) == CHECKS
    return checks


def failed(checks: dict[str, dict]) -> set[str]:
    """The names of the checks that failed."""
    return {name for name, check in checks.items() if not check["passed"]}


def test_a_valid_tenant_token_passes_every_check(site: TestClient) -> None:
    token = tokens.password_grant(site, "alice")["access_token"]
    response = site.post("/decoder/checks", json={"token": token})
    assert response.status_code == 200
    assert response.json()["accepted"] is True
    assert failed({check["name"]: check for check in response.json()["checks"]}) == set()


def test_one_character_changed_fails_only_the_signature(site: TestClient) -> None:
    token = tokens.password_grant(site, "alice")["access_token"]
    header, claims, signature = token.split(".")
    changed = signature[:20] + ("A" if signature[20] != "A" else "B") + signature[21:]
    checks = outcomes(site, f"{header}.{claims}.{changed}")
    assert failed(checks) == {"signature"}
    assert "does not match" in checks["signature"]["detail"]


def test_an_id_token_fails_the_audience_check(site: TestClient) -> None:
    id_token = tokens.password_grant(site, "alice", scope="openid profile email")["id_token"]
    checks = outcomes(site, id_token)
    assert failed(checks) == {"aud"}
    assert "This is an ID token" in checks["aud"]["detail"]


def test_wrong_audience(own_key_decoder: TestClient, test_key: RSAKey) -> None:
    token = tokens.sign(tokens.access_claims(aud="https://another/api"), test_key)
    checks = outcomes(own_key_decoder, token)
    assert failed(checks) == {"aud"}
    assert "aud is https://another/api but this API is https://playground/api" in checks["aud"]["detail"]


def test_expired(own_key_decoder: TestClient, test_key: RSAKey) -> None:
    now = int(time.time())
    token = tokens.sign(tokens.access_claims(iat=now - 7200, exp=now - 3600), test_key)
    checks = outcomes(own_key_decoder, token)
    assert failed(checks) == {"exp"}
    assert "expired" in checks["exp"]["detail"]


def test_not_yet_valid(own_key_decoder: TestClient, test_key: RSAKey) -> None:
    token = tokens.sign(tokens.access_claims(nbf=int(time.time()) + 600), test_key)
    assert failed(outcomes(own_key_decoder, token)) == {"nbf"}


def test_foreign_issuer_fails_signature_and_issuer(own_key_decoder: TestClient) -> None:
    foreign = tokens.new_key("someone-elses-key")
    token = tokens.sign(tokens.access_claims(iss="https://evil.example/"), foreign)
    checks = outcomes(own_key_decoder, token)
    assert failed(checks) == {"signature", "iss"}
    assert "is not one of the signing keys" in checks["signature"]["detail"]
    assert "iss is https://evil.example/" in checks["iss"]["detail"]


def test_hs256_fails_alg_and_skips_the_signature(own_key_decoder: TestClient, test_key: RSAKey) -> None:
    token = tokens.sign_hs256(tokens.access_claims(), b"public key as a secret", test_key.kid)
    checks = outcomes(own_key_decoder, token)
    assert failed(checks) == {"alg", "signature"}
    assert checks["signature"]["detail"].startswith("Not checked")


def test_bearer_prefix_and_line_breaks_are_ignored(own_key_decoder: TestClient, test_key: RSAKey) -> None:
    token = tokens.sign(tokens.access_claims(), test_key)
    pasted = "Bearer " + "\n".join(token[i:i + 50] for i in range(0, len(token), 50))
    assert failed(outcomes(own_key_decoder, pasted)) == set()


@pytest.mark.parametrize(("text", "says"), [
    ("opaque-token-value", "opaque token"),
    ("a.b", "3 base64url parts"),
    ("!!!.eyJzdWIiOiAieCJ9.c2ln", "header is not base64url-encoded JSON"),
    ("WzFd.WzFd.c2ln", "must both be JSON objects"),
    ("a.b.c.d.e", "encrypted token (JWE)"),
])
def test_not_a_jwt_is_a_clear_400(own_key_decoder: TestClient, text: str, says: str) -> None:
    response = own_key_decoder.post("/decoder/checks", json={"token": text})
    assert response.status_code == 400
    assert says in response.json()["detail"]


@pytest.mark.parametrize("body", [{}, {"token": ""}, {"token": 42}, {"token": "x" * 20_000}])
def test_bad_bodies_are_422(own_key_decoder: TestClient, body: dict) -> None:
    assert own_key_decoder.post("/decoder/checks", json=body).status_code == 422


def test_an_oversized_body_is_refused_before_parsing(site: TestClient) -> None:
    response = site.post("/decoder/checks", content=b'{"token": "' + b"x" * 70_000 + b'"}',
                         headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_the_token_is_not_logged(site: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    token = tokens.password_grant(site, "bob")["access_token"]
    with caplog.at_level(logging.DEBUG):
        site.post("/decoder/checks", json={"token": token})
        site.post("/decoder/checks", json={"token": token[:-4] + "AAAA"})
    assert token[-40:-4] not in caplog.text


def test_the_page_is_in_the_navigation(site: TestClient) -> None:
    page = site.get("/decoder", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert 'src="/static/decoder.js"' in page.text and "<script>" not in page.text
    assert 'href="/decoder"' in site.get("/", headers={"Accept": "text/html"}).text
