"""`python main.py`: one app, served on every interface, trusting forwarded headers from this machine only."""

import os
import runpy
import sys

import uvicorn
from fastapi import FastAPI

from server.limits import uvicorn_limits
from tests.conftest import ROOT
from tests.deploy.platform import SETTINGS_VARIABLES


def test_python_main_py_serves_the_app_it_built(tmp_path, monkeypatch):
    for name in os.environ:
        if name in SETTINGS_VARIABLES or name.startswith(("AUTH0_", "RENDER_", "RAILWAY_", "HEROKU_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)  # no developer's .env
    calls: list[tuple[tuple, dict]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    monkeypatch.setattr(sys, "argv", [str(ROOT / "main.py")])
    namespace = runpy.run_path(str(ROOT / "main.py"), run_name="__main__")
    [(args, kwargs)] = calls
    assert isinstance(args[0], FastAPI) and args[0] is namespace["app"]  # not "main:app", built a second time
    assert kwargs["host"] == "0.0.0.0" and kwargs["proxy_headers"] is True
    assert kwargs.get("forwarded_allow_ips") is None  # uvicorn's default: 127.0.0.1
    assert kwargs.items() >= uvicorn_limits().items()  # the deploy command's limits, direct runs included
