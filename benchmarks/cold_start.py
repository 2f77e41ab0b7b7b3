"""Benchmark: `python main.py` to its first /healthz answer, against a minimal FastAPI app under uvicorn.

Run: python benchmarks/cold_start.py [--rounds 5] [--database-url URL]
First the site is byte-compiled as the deploy files' build step does (scripts/compile_bytecode.sh), so that its
starts are those of an instance woken from the built image. Each round starts both servers once, alternating, so that the machine's noise falls on both; each is timed from the
process's start to the first 200 from /healthz. The site's first round is its first boot (a new data folder or an
empty database: keys and demo users created); the later rounds start on the data that boot left, as a sleeping PaaS
instance does. It prints each start, the medians and the ratio site : minimal app.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.local_server import HOST, free_port, stop_server  # noqa: E402

POLL_SECONDS = 0.01
START_TIMEOUT = 90
MINIMAL_APP = textwrap.dedent("""
    import os

    import uvicorn
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}


    if __name__ == "__main__":
        uvicorn.run(app, host="127.0.0.1", port=int(os.environ["PORT"]))
""")


def seconds_to_health(command: list[str], cwd: Path, env: dict[str, str], port: int) -> float:
    """Start `command`, poll /healthz until it answers 200; the seconds that took. The server is stopped after."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while time.perf_counter() - started < START_TIMEOUT:
            if process.poll() is not None:
                raise SystemExit(f"{command[-1]} exited with {process.returncode}: {process.stderr.read()}")
            try:
                if httpx.get(f"http://{HOST}:{port}/healthz", timeout=1).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                time.sleep(POLL_SECONDS)
        raise SystemExit(f"{command[-1]} did not answer /healthz in {START_TIMEOUT} s")
    finally:
        stop_server(process)


def site_env(data_dir: Path, port: int, database_url: str | None) -> dict[str, str]:
    """The site's environment: the built-in tenant, its data folder (or database), its port."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AUTH0_") and key != "DATABASE_URL"}
    env.update(DATA_DIR=str(data_dir), PUBLIC_URL=f"http://{HOST}:{port}", PORT=str(port), PYTHONPATH=str(ROOT))
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run(rounds: int, database_url: str | None) -> None:
    """Alternate the two starts; print each, the medians and the ratio."""
    subprocess.run(["bash", "scripts/compile_bytecode.sh"], cwd=ROOT, check=True)
    site_times: list[float] = []
    minimal_times: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        data_dir, minimal_dir = Path(folder) / "data", Path(folder) / "minimal"
        data_dir.mkdir()
        minimal_dir.mkdir()
        (minimal_dir / "minimal_app.py").write_text(MINIMAL_APP)
        for number in range(rounds + 1):
            port = free_port()
            site = seconds_to_health([sys.executable, str(ROOT / "main.py")], data_dir,
                                     site_env(data_dir, port, database_url), port)
            port = free_port()
            minimal = seconds_to_health([sys.executable, "minimal_app.py"], minimal_dir,
                                        {**os.environ, "PORT": str(port)}, port)
            label = "first boot" if number == 0 else f"round {number}"
            print(f"{label:<11} site {site:6.2f} s   minimal FastAPI app {minimal:6.2f} s   "
                  f"ratio {site / minimal:5.2f}")
            if number:
                site_times.append(site)
                minimal_times.append(minimal)
    site_median, minimal_median = statistics.median(site_times), statistics.median(minimal_times)
    print(f"median over {rounds} starts on existing data ({'PostgreSQL' if database_url else 'SQLite'}): "
          f"site {site_median:.2f} s, minimal FastAPI app {minimal_median:.2f} s, "
          f"site : minimal {site_median / minimal_median:.2f}")


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="starts of each on existing data")
    parser.add_argument("--database-url", help="run the site with this DATABASE_URL (PostgreSQL)")
    arguments = parser.parse_args()
    run(arguments.rounds, arguments.database_url)


if __name__ == "__main__":
    main()
