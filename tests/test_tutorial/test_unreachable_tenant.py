"""With no tenant where they look, the examples say so in one line: never a traceback (step 5's service: in
test_signup_and_token.py)."""

import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ROOT, free_port
from tests.test_tutorial.conftest import API_AUDIENCE, load_example

# A token the APIs must check against the tenant's keys (header: RS256 with a key id).
SOME_JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.eyJzdWIiOiJ4In0.c2ln"


@pytest.fixture
def nowhere() -> str:
    """A URL where nothing listens."""
    return f"http://127.0.0.1:{free_port()}"


def run_script(path: str, **environment: str) -> subprocess.CompletedProcess:
    """Run an example script as the step's command does, with only these settings."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **environment}
    return subprocess.run([sys.executable, path], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def assert_one_line(result: subprocess.CompletedProcess, *phrases: str) -> None:
    """Exit status 1, one line on stderr holding the phrases, and no traceback."""
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    for phrase in phrases:
        assert phrase in result.stderr


def test_the_cli_names_the_tenant_it_could_not_reach(nowhere: str) -> None:
    result = run_script("tutorials/cli_login/cli.py", TENANT_URL=nowhere, API_URL=nowhere)
    assert_one_line(result, f"No answer from {nowhere}/", "TENANT_URL")


def test_the_machine_client_names_a_missing_setting() -> None:
    assert_one_line(run_script("tutorials/machine_to_machine/client.py"), "Missing setting AUTH0_DOMAIN", "TENANT_URL")


def test_the_machine_client_names_the_tenant_it_could_not_reach(nowhere: str) -> None:
    result = run_script("tutorials/machine_to_machine/client.py", TENANT_URL=nowhere, M2M_CLIENT_ID="m2m",
                        M2M_CLIENT_SECRET="m2m-secret", AUTH0_API_AUDIENCE=API_AUDIENCE, API_URL=nowhere)
    assert_one_line(result, f"No answer from {nowhere}/")


def test_the_starlette_app_answers_503_in_one_line(nowhere: str, monkeypatch: pytest.MonkeyPatch) -> None:
    module = load_example("tutorials.web_login_starlette.app", {"TENANT_URL": nowhere}, monkeypatch)
    with TestClient(module.app, base_url="http://localhost:9001") as client:
        answer = client.get("/auth/login")
    assert answer.status_code == 503 and len(answer.text.splitlines()) == 1
    assert f"No answer from the tenant at {nowhere}" in answer.text


def test_the_flask_app_answers_503_in_one_line(nowhere: str, monkeypatch: pytest.MonkeyPatch) -> None:
    module = load_example("tutorials.web_login_flask.app", {"TENANT_URL": nowhere}, monkeypatch)
    answer = module.app.test_client().get("/login")
    assert answer.status_code == 503 and len(answer.text.splitlines()) == 1
    assert f"No answer from the tenant at {nowhere}" in answer.text


@pytest.mark.parametrize(("module_name", "path"), [("tutorials.protect_an_api.app", "/api/secure"),
                                                   ("tutorials.custom_claims.api", "/api/me")])
def test_the_example_apis_answer_503_naming_the_keys_they_could_not_fetch(
        nowhere: str, monkeypatch: pytest.MonkeyPatch, module_name: str, path: str) -> None:
    module = load_example(module_name, {"AUTH0_DOMAIN": nowhere}, monkeypatch)
    with TestClient(module.app) as client:
        answer = client.get(path, headers={"Authorization": f"Bearer {SOME_JWT}"})
    assert answer.status_code == 503 and f"{nowhere}/.well-known/jwks.json" in answer.json()["detail"]


def test_the_sdk_web_app_answers_in_one_line(nowhere: str, monkeypatch: pytest.MonkeyPatch) -> None:
    module = load_example("tutorials.auth0_sdks.web_app", {"AUTH0_DOMAIN": nowhere.removeprefix("http://")},
                          monkeypatch)
    with TestClient(module.app, base_url="http://localhost:3000", follow_redirects=False) as client:
        answer = client.get("/auth/login")
    assert answer.status_code == 502 and answer.json()["message"] == "Failed to fetch OIDC metadata"
