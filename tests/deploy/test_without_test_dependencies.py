"""The site starts and renders step 15 without Auth0's SDKs installed: they are test-only dependencies."""

import subprocess
import sys
from pathlib import Path

from tests.deploy.platform import platform_environment
from tests.local_server import ROOT, free_port

# Importing any of these fails in the child, as if they were not installed.
TEST_ONLY = ("auth0", "auth0_api_python", "fastapi_plugin", "auth0_fastapi", "auth0_server_python")
CHILD = f"""
import sys
sys.modules.update(dict.fromkeys({TEST_ONLY!r}))
from fastapi.testclient import TestClient
import main
with TestClient(main.app) as client:
    print(client.get("/tutorials/auth0-fastapi-sdks").status_code)
"""


def test_the_site_needs_none_of_auth0s_sdks(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=platform_environment(tmp_path, free_port()),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == "200"
