"""Shared fixtures: the site in-process, and the site served by uvicorn on a free port."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from main import create_app
from settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def builtin_settings(data_dir: Path, origin: str = "http://testserver", **overrides: object) -> Settings:
    """Settings for the built-in tenant, ignoring any `.env` of the developer's."""
    return Settings(_env_file=None, data_dir=data_dir, public_url=origin, **overrides)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The whole site in-process on the built-in tenant, origin http://testserver."""
    app = create_app(builtin_settings(tmp_path_factory.mktemp("site-data")))
    with TestClient(app) as client:
        yield client


def start_server(data_dir: Path, port: int, workers: int = 1, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `uvicorn main:app` on 127.0.0.1:port with its own data folder and no `.env`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AUTH0_")}
    env.update(
        PYTHONPATH=str(ROOT), DATA_DIR=str(data_dir), PUBLIC_URL=f"http://127.0.0.1:{port}", PORT=str(port),
        **(extra_env or {}),
    )
    command = [sys.executable, "-m", "uvicorn", "main:app", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=data_dir, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start in 30 s")


def stop_server(process: subprocess.Popen) -> None:
    """Stop a server started by start_server."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the site served by a real uvicorn (one worker) on the built-in tenant."""
    port = free_port()
    process = start_server(tmp_path_factory.mktemp("live-data"), port)
    yield f"http://127.0.0.1:{port}"
    stop_server(process)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) and one page in it."""
    context = browser.new_context()
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()
