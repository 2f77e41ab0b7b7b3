"""The device-flow CLI against the running site's built-in tenant: a scripted person approves or denies it."""

import os
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from main import create_app
from tenant.endpoints import device_authorization
from tenant.grants import device_code as device_flow
from tests.conftest import ROOT, builtin_settings
from tests.tenant.conftest import form_token_on, submit_activation
from tutorials.cli_login.cli import call_api, start_device_login, wait_for_tokens

CLI = ROOT / "tutorials" / "cli_login" / "cli.py"


def run_cli(live_server: str) -> subprocess.Popen:
    """Start the CLI as a learner would, pointed at the live site."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AUTH0_")}
    environment.update(TENANT_URL=f"{live_server}", API_URL=live_server, PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, str(CLI)], env=environment, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def user_code_from(cli: subprocess.Popen) -> tuple[str, str]:
    """The activation link and the code the CLI prints."""
    first = cli.stdout.readline()
    assert first.startswith("To log in, open "), first + cli.stderr.read()
    link, _, code = first.removeprefix("To log in, open ").strip().partition(" and enter the code ")
    return link, code


def answer_on_the_activation_page(link: str, code: str, action: str) -> None:
    """What the person does in their browser: open the link, sign in, confirm or cancel."""
    with httpx.Client(timeout=10) as browser:
        page = browser.get(link, params={"user_code": code})
        assert page.status_code == 200 and code in page.text
        done = browser.post(link, data={"user_code": code, "action": action, "username": "alice@example.com",
                                        "password": "alice-demo-1", "form_token": form_token_on(page.text)})
        assert done.status_code == 200, done.text


def test_cli_logs_in_once_approved_and_calls_the_api(live_server: str) -> None:
    cli = run_cli(live_server)
    link, code = user_code_from(cli)
    assert cli.stdout.readline().strip() == f"or open {link}?user_code={code}"
    answer_on_the_activation_page(link, code, "confirm")
    out, err = cli.communicate(timeout=60)
    assert cli.returncode == 0, out + err
    assert out.startswith("Logged in.\n") and "Your access token is valid for this API." in out
    assert "'id': 'auth0|" in out


def test_cli_reports_a_denied_login(live_server: str) -> None:
    cli = run_cli(live_server)
    link, code = user_code_from(cli)
    answer_on_the_activation_page(link, code, "deny")
    out, err = cli.communicate(timeout=60)
    assert cli.returncode == 1
    assert err.strip() == "Login failed: access_denied: User has denied access."


@pytest.fixture
def site(tmp_path) -> Iterator[TestClient]:
    """A site of its own: approving the device signs its client in to the tenant."""
    with TestClient(create_app(builtin_settings(tmp_path))) as client:
        yield client


def test_cli_waits_the_interval_and_slows_down_when_told(site, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1_000_000.0]
    for module in (device_flow, device_authorization):
        monkeypatch.setattr(module, "now", lambda: clock[0])
    waits: list[float] = []
    device = start_device_login(site, "http://testserver", "cli", "https://playground/api", "openid")

    def sleep(seconds: float) -> None:
        """Let virtual time pass; wake up early once (the tenant then says slow_down); approve on the third wait."""
        waits.append(seconds)
        clock[0] += seconds / 2 if len(waits) == 2 else seconds
        if len(waits) == 3:
            submit_activation(site, device["user_code"], username="bob@example.com", password="bob-demo-1")

    tokens = wait_for_tokens(site, "http://testserver", "cli", device, sleep=sleep)
    assert waits == [5, 5, 10]
    assert call_api(site, "http://testserver", tokens["access_token"])["user"]["id"].startswith("auth0|")
