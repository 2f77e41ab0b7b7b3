"""`python main.py`: one app, served on every interface, trusting forwarded headers as TRUSTED_PROXY_HOPS says."""

import os
import runpy
import subprocess
import sys
import uuid
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from server.limits import uvicorn_limits
from tests.conftest import ROOT, free_port
from tests.deploy.platform import SETTINGS_VARIABLES, platform_environment, stop
from tests.local_server import HOST, wait_until_healthy

WRONG_TRIES = 10  # the lockout's threshold


def run_main_py(tmp_path, monkeypatch, **variables: str) -> tuple[tuple, dict, dict]:
    """`python main.py` with uvicorn.run caught: its arguments, and the namespace main.py ran in."""
    for name in os.environ:
        if name in SETTINGS_VARIABLES or name.startswith(("AUTH0_", "RENDER_", "RAILWAY_", "HEROKU_")):
            monkeypatch.delenv(name)
    monkeypatch.delenv("TRUSTED_PROXY_HOPS", raising=False)
    for name, value in {"DATA_DIR": str(tmp_path), **variables}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)  # no developer's .env
    calls: list[tuple[tuple, dict]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    monkeypatch.setattr(sys, "argv", [str(ROOT / "main.py")])
    namespace = runpy.run_path(str(ROOT / "main.py"), run_name="__main__")
    [(args, kwargs)] = calls
    return args, kwargs, namespace


def test_python_main_py_serves_the_app_it_built(tmp_path, monkeypatch):
    args, kwargs, namespace = run_main_py(tmp_path, monkeypatch)
    assert isinstance(args[0], FastAPI) and args[0] is namespace["app"]  # not "main:app", built a second time
    assert kwargs["host"] == "0.0.0.0"
    assert kwargs["proxy_headers"] is False  # no proxy in front: X-Forwarded-* are the client's own words
    assert kwargs.items() >= uvicorn_limits().items()  # the deploy command's limits, direct runs included


def test_python_main_py_behind_a_proxy_trusts_it_as_the_procfile_does(tmp_path, monkeypatch):
    _, kwargs, _ = run_main_py(tmp_path, monkeypatch, TRUSTED_PROXY_HOPS="1")
    assert kwargs["proxy_headers"] is True and kwargs["forwarded_allow_ips"] == "*"


@pytest.fixture
def python_main_py(tmp_path) -> Iterator[str]:
    """`python main.py` really running, on a free port; its base URL."""
    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py")], cwd=tmp_path,
                               env=platform_environment(tmp_path, port), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    wait_until_healthy(process, port)
    yield f"http://{HOST}:{port}"
    stop(process)


def test_a_same_host_proxy_passing_the_clients_header_through_does_not_escape_the_lockout(python_main_py):
    wrong = {"email": f"user-{uuid.uuid4().hex[:10]}@example.com", "password": "not-the-password-1"}
    answers = [httpx.post(f"{python_main_py}/auth/token", json=wrong, timeout=30,
                          headers={"x-forwarded-for": f"10.0.0.{number}"}).status_code
               for number in range(WRONG_TRIES + 1)]
    assert answers == [401] * WRONG_TRIES + [429]
