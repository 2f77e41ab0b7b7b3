"""`python main.py --https` on a free port, with its own data folder and local CA: for clients that need https."""

import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.deploy.platform import platform_environment
from tests.local_server import ROOT, STARTUP_TIMEOUT, free_port, stop_server

# Where the apps built on Auth0's SDKs run in the tests; the https site's tenant lets them log in and out there.
SDK_APP_ORIGIN = "https://localhost:3000"


@dataclass(frozen=True)
class HttpsSite:
    """Where the https site answers, the local CA its certificate chains to, and the line it printed at start."""

    origin: str
    authority: Path
    hint: str

    @property
    def domain(self) -> str:
        """The tenant's "domain" as Auth0's SDKs take it: host and port, no scheme, no path."""
        return self.origin.removeprefix("https://")


@contextmanager
def https_site(data_dir: Path, **variables: str) -> Iterator[HttpsSite]:
    """Run `python main.py --https` on the built-in tenant until the block ends; `variables` are extra settings."""
    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--https"], cwd=data_dir,
                               env=platform_environment(data_dir, port, **variables),
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    site = HttpsSite(f"https://localhost:{port}", data_dir / "https" / "ca.pem", "")
    try:
        site = HttpsSite(site.origin, site.authority, process.stdout.readline())
        trusted = ssl.create_default_context(cafile=site.authority)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                httpx.get(f"{site.origin}/healthz", verify=trusted).raise_for_status()
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, "the https site did not start"
                time.sleep(0.2)
        yield site
    finally:
        stop_server(process)
