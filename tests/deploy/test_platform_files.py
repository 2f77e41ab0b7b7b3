"""Procfile, app.json, render.yaml and .python-version describe the same, working deployment."""

import json
import re
import sys

import yaml

from tests.conftest import ROOT
from tests.deploy.platform import SETTINGS_VARIABLES, command_settings, procfile_web_command, program_words


def test_procfile_trusts_the_one_router_in_front_for_the_client_address():
    assert command_settings(procfile_web_command()) == {"TRUSTED_PROXY_HOPS": "1"}


def test_procfile_runs_uvicorn_behind_the_routers_proxy():
    words = program_words(procfile_web_command())
    assert words[:2] == ["uvicorn", "main:app"]
    assert "--proxy-headers" in words
    assert "--forwarded-allow-ips=*" in words  # the router's address is not known in advance
    assert words[words.index("--port") + 1] == "$PORT"
    assert words[words.index("--host") + 1] == "0.0.0.0"


def test_render_blueprint_starts_the_same_command():
    blueprint = yaml.safe_load((ROOT / "render.yaml").read_text())
    [service] = blueprint["services"]
    assert service["type"] == "web" and service["runtime"] == "python"
    assert service["startCommand"] == procfile_web_command()
    assert service["buildCommand"] == "pip install -r requirements.txt"
    assert service["healthCheckPath"] == "/healthz"
    variables = {variable["key"]: variable for variable in service["envVars"]}
    assert variables["SESSION_SECRET"] == {"key": "SESSION_SECRET", "generateValue": True}
    assert set(variables) == set(SETTINGS_VARIABLES)
    assert all(variable.get("sync") is False for key, variable in variables.items() if key != "SESSION_SECRET")


def test_heroku_app_json_describes_every_setting_and_generates_the_session_secret():
    manifest = json.loads((ROOT / "app.json").read_text())
    assert manifest["env"]["SESSION_SECRET"]["generator"] == "secret"
    assert set(manifest["env"]) == set(SETTINGS_VARIABLES)
    for name, variable in manifest["env"].items():
        assert len(variable["description"]) > 20, name
        assert variable.get("required", True) is False or name == "SESSION_SECRET", name
    assert manifest["success_url"] == "/"
    assert {"url": "heroku/python"} in manifest["buildpacks"]


def test_python_version_file_names_the_major_and_minor_version():
    version = (ROOT / ".python-version").read_text().strip()
    assert re.fullmatch(r"3\.\d+", version)
    assert tuple(map(int, version.split("."))) <= sys.version_info[:2]


def test_env_example_names_the_same_settings():
    example = (ROOT / ".env.example").read_text()
    for name in SETTINGS_VARIABLES:
        assert f"{name}=" in example, name
