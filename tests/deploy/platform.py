"""Read the platform files and run the Procfile's web command, as a PaaS would."""

import os
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.local_server import ROOT

SETTINGS_VARIABLES = ("AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "AUTH0_SWAGGER_CLIENT_ID",
                      "AUTH0_API_AUDIENCE", "SESSION_SECRET", "PUBLIC_URL")
# Set by the platform when a database is attached, not typed in by the person deploying.
DATABASE_VARIABLE = "DATABASE_URL"


def procfile_web_command() -> str:
    """The `web:` line of the Procfile."""
    lines = [line for line in (ROOT / "Procfile").read_text().splitlines() if line.strip()]
    processes = dict(line.split(":", 1) for line in lines)
    return processes["web"].strip()


def platform_environment(data_dir: Path, port: int, **variables: str) -> dict[str, str]:
    """A clean environment: no Auth0 or origin settings of the developer's, the site on PYTHONPATH."""
    inherited = {key: value for key, value in os.environ.items()
                 if key not in (*SETTINGS_VARIABLES, DATABASE_VARIABLE) and not key.startswith(("AUTH0_", "RENDER_", "RAILWAY_", "HEROKU_"))}
    return inherited | {"PYTHONPATH": str(ROOT), "DATA_DIR": str(data_dir), "PORT": str(port)} | variables


def run_web_command(data_dir: Path, port: int, shell_setup: str = "", **variables: str) -> subprocess.Popen:
    """Start the Procfile's web command through a shell (so its quoting is what a platform runs).

    `shell_setup` runs in that shell first, e.g. `ulimit -f 0; ` for a disk that takes nothing more.
    """
    command = procfile_web_command().replace("0.0.0.0", "127.0.0.1")
    env = platform_environment(data_dir, port, **variables)
    # `exec env VAR=value uvicorn ...`: the command's own settings, and uvicorn as the process a stop signal reaches.
    return subprocess.Popen(["bash", "-c", f"{shell_setup}exec env {command} --log-level warning"], cwd=data_dir,
                            env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def start_up_error_lines(process: subprocess.Popen, timeout: float = 60) -> list[str]:
    """What a server that must refuse to start printed before it stopped (fails the test if it started)."""
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("the server started")
    assert process.returncode != 0
    return [line for line in stderr.splitlines() if line.strip()]


def stop(process: subprocess.Popen) -> None:
    """Stop a server started by run_web_command."""
    process.terminate()
    try:
        process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()


def shell_words(command: str) -> list[str]:
    """The command split as a shell splits it."""
    return shlex.split(command)


def command_settings(command: str) -> dict[str, str]:
    """The environment assignments that open the command (`NAME=value uvicorn ...`)."""
    assignments = {}
    for word in shell_words(command):
        name, equals, value = word.partition("=")
        if not equals or not name.isidentifier() or not name.isupper():
            break
        assignments[name] = value
    return assignments


def program_words(command: str) -> list[str]:
    """The command's words after its environment assignments."""
    return shell_words(command)[len(command_settings(command)):]
