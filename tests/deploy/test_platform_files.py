"""Procfile, app.json, render.yaml and .python-version describe the same, working deployment."""

import json
import os
import re
import subprocess
import sys

import yaml

from tests.conftest import ROOT
from tests.local_server import GLIBC_TUNABLES, PROCFILE_FLAGS
from storage.urls import normalise_database_url
from tests.deploy.platform import (
    DATABASE_VARIABLE, SETTINGS_VARIABLES, command_settings, procfile_web_command, program_words,
)

BYTE_COMPILE = "scripts/compile_bytecode.sh"


def test_procfile_trusts_the_one_router_in_front_for_the_client_address():
    assert command_settings(procfile_web_command())["TRUSTED_PROXY_HOPS"] == "1"


def test_procfile_runs_the_server_as_the_benchmarks_and_tests_run_it():
    assert command_settings(procfile_web_command()) == {"TRUSTED_PROXY_HOPS": "1", "GLIBC_TUNABLES": GLIBC_TUNABLES}


def test_benchmarks_and_tests_behind_a_proxy_run_the_procfiles_flags():
    assert set(PROCFILE_FLAGS) <= set(program_words(procfile_web_command()))


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
    assert service["buildCommand"] == f"pip install -r requirements.txt && bash {BYTE_COMPILE}"
    assert service["healthCheckPath"] == "/healthz"
    variables = {variable["key"]: variable for variable in service["envVars"]}
    assert variables["SESSION_SECRET"] == {"key": "SESSION_SECRET", "generateValue": True}
    assert set(variables) == {*SETTINGS_VARIABLES, DATABASE_VARIABLE}
    typed_in = set(SETTINGS_VARIABLES) - {"SESSION_SECRET"}
    assert all(variables[key].get("sync") is False for key in typed_in)


def test_render_blueprint_gives_the_service_a_free_private_database():
    blueprint = yaml.safe_load((ROOT / "render.yaml").read_text())
    [database] = blueprint["databases"]
    assert database["plan"] == "free" and database["ipAllowList"] == []
    [service] = blueprint["services"]
    wiring = next(variable for variable in service["envVars"] if variable["key"] == DATABASE_VARIABLE)
    assert wiring["fromDatabase"] == {"name": database["name"], "property": "connectionString"}


def test_heroku_app_json_describes_every_setting_and_generates_the_session_secret():
    manifest = json.loads((ROOT / "app.json").read_text())
    assert manifest["env"]["SESSION_SECRET"]["generator"] == "secret"
    assert set(manifest["env"]) == set(SETTINGS_VARIABLES)
    for name, variable in manifest["env"].items():
        assert len(variable["description"]) > 20, name
        assert variable.get("required", True) is False or name == "SESSION_SECRET", name
    assert manifest["success_url"] == "/"
    assert DATABASE_VARIABLE not in manifest["env"]  # the add-on sets it
    assert {"url": "heroku/python"} in manifest["buildpacks"]


def test_heroku_app_json_attaches_postgres_whose_url_the_site_accepts():
    manifest = json.loads((ROOT / "app.json").read_text())
    assert [addon["plan"].split(":")[0] for addon in manifest["addons"]] == ["heroku-postgresql"]
    # The add-on sets DATABASE_URL as postgres://...; the site turns it into its driver's form.
    heroku_style = "postgres://u1a2:p4ss@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d5e6"
    assert normalise_database_url(heroku_style).startswith("postgresql+psycopg://u1a2:p4ss@ec2-1-2-3-4.")


def test_python_version_file_names_the_major_and_minor_version():
    version = (ROOT / ".python-version").read_text().strip()
    assert re.fullmatch(r"3\.\d+", version)
    assert tuple(map(int, version.split("."))) <= sys.version_info[:2]


def test_env_example_names_the_same_settings():
    example = (ROOT / ".env.example").read_text()
    for name in (*SETTINGS_VARIABLES, DATABASE_VARIABLE):
        assert f"{name}=" in example, name


def test_heroku_build_byte_compiles_the_site_as_render_does():
    hook = (ROOT / "bin" / "post_compile").read_text()
    assert f"exec bash {BYTE_COMPILE}" in hook
    assert os.access(ROOT / "bin" / "post_compile", os.X_OK)


def test_after_the_build_step_a_start_compiles_none_of_the_sites_modules(tmp_path):
    subprocess.run(["bash", BYTE_COMPILE], cwd=ROOT, check=True, timeout=300)
    # Even where Python may not write bytecode itself, as on an instance started afresh from the built image.
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "DATA_DIR": str(tmp_path)}
    started = subprocess.run([sys.executable, "-v", "-c", "import main"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=120, check=True)
    loaded = re.findall(r"^# code object from '?([^'\n]+)'?$", started.stderr, re.MULTILINE)
    own = [path for path in loaded if path.startswith(str(ROOT)) and "site-packages" not in path]
    assert len(own) > 100  # the site's modules, every one of them from its byte code
    assert [path for path in own if not path.endswith(".pyc")] == []
