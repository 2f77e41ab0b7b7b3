"""Memory the flow inspector holds at its bounds: server RSS before and after more visitors than it keeps.

Usage: python benchmarks/inspector_memory.py [--visitors 700] [--flows 5]

One uvicorn worker on the built-in tenant. Each visitor is a fresh browser-like client (its own session cookie,
`Sec-Fetch-Site: same-origin`) that gets `--flows` tokens through POST /auth/token, so that the inspector records
each exchange, back channel included, in the site's database. With more flows than it keeps per visitor, the store
is full for each; the script prints the server's RSS before, after the first half and after all visitors (records
live in the database, so the server should barely grow), and how many flows the last visitor's inspector page shows.
"""

import argparse
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flow_inspector.store import FLOWS_PER_VISITOR, MAX_ROWS  # noqa: E402
from tests.local_server import HOST, free_port, start_server, stop_server  # noqa: E402

CREDENTIALS = {"email": "alice@example.com", "password": "alice-demo-1"}


def rss_mib(pid: int) -> float:
    """Resident memory of a process, in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def visit(base: str, flows: int) -> httpx.Client:
    """One visitor getting `flows` tokens from a Try-it panel."""
    client = httpx.Client(base_url=base, headers={"Sec-Fetch-Site": "same-origin"}, timeout=30)
    for _ in range(flows):
        client.post("/auth/token", json=CREDENTIALS).raise_for_status()
    return client


def main() -> None:
    """Fill the store past its bounds and print the server's memory."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--visitors", type=int, default=MAX_ROWS // FLOWS_PER_VISITOR + 200)
    parser.add_argument("--flows", type=int, default=FLOWS_PER_VISITOR + 1)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = start_server(Path(data_dir), port)
        base = f"http://{HOST}:{port}"
        try:
            visit(base, 1).close()
            before = rss_mib(server.pid)
            half = None
            for number in range(args.visitors):
                last = visit(base, args.flows)
                if number == args.visitors // 2:
                    half = rss_mib(server.pid)
                if number < args.visitors - 1:
                    last.close()
            after = rss_mib(server.pid)
            shown = last.get("/inspector", headers={"Accept": "text/html"}).text.count('class="flow card"')
            last.close()
        finally:
            stop_server(server)
    print(f"store bounds: {MAX_ROWS} rows, {FLOWS_PER_VISITOR} flows per visitor")
    print(f"visitors: {args.visitors}, tokens each: {args.flows}")
    print(f"server RSS: {before:.1f} MiB before, {half:.1f} MiB after {args.visitors // 2 + 1} visitors, "
          f"{after:.1f} MiB after {args.visitors}")
    print(f"growth: {after - before:.1f} MiB in all, {after - half:.1f} MiB in the second half")
    print(f"flows shown to the last visitor: {shown} (at most {FLOWS_PER_VISITOR})")


if __name__ == "__main__":
    main()
