"""The Actions' child process: runs each post-login Action in a fresh V8 isolate, one run per isolate.

Reads one JSON request per line on stdin, answers one JSON line on stdout. After a run it had to stop (time or
memory) it answers and exits, so a terminated isolate is never freed beside a live one: its parent starts another.
Imports nothing of the site, so that it starts fast and small.
"""

import asyncio
import json
import os
import re
import sys
import threading
import time
from pathlib import Path

from py_mini_racer import JSEvalException, JSOOMException, JSTimeoutException, MiniRacer, mini_racer

SANDBOX = "\n".join((Path(__file__).parent / name).read_text(encoding="utf-8")
                    for name in ("session_token.js", "sandbox.js"))
POLL_PAUSE = 0.001
SYNTAX_CHECK_LIMIT = 1.0
SYNTAX_ERROR_LINE = re.compile(r"<anonymous>:(\d+): SyntaxError")
SANDBOX_TIME_LIMIT = 10.0


class Isolate:
    """One fresh V8 isolate with the sandbox installed, for exactly one run."""

    def __init__(self, loop: asyncio.AbstractEventLoop, memory_limit: int) -> None:
        self._opened = mini_racer(loop)
        self.racer: MiniRacer = self._opened.__enter__()
        self.racer.set_hard_memory_limit(memory_limit)
        self.racer.eval(SANDBOX, timeout_sec=SANDBOX_TIME_LIMIT)

    def run(self, sources: list[str], event: dict, plan: dict, time_limit: float) -> dict:
        """Start the run, then wait for its promises to settle within the time limit."""
        racer = self.racer
        deadline = time.monotonic() + time_limit
        arguments = ", ".join(json.dumps(json.dumps(value)) for value in (sources, event, plan))
        racer.eval(f"__playgroundRun({arguments})",
                   timeout_sec=time_limit)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or racer.was_hard_memory_limit_reached():
                raise JSTimeoutException()
            outcome = racer.eval("__playgroundOutcome()", timeout_sec=remaining)
            if isinstance(outcome, str):
                return json.loads(outcome)
            time.sleep(POLL_PAUSE)

    def syntax_error_line(self, sources: list[str]) -> int | None:
        """The line of the first syntax error in the sources (V8 names none when `new Function` fails)."""
        for source in sources:
            try:
                # Compiled, not called; a source that closes the wrapper early runs for this short bound at most.
                self.racer.eval(f"(function (exports, module) {{\n{source}\n}})", timeout_sec=SYNTAX_CHECK_LIMIT)
            except JSEvalException as error:
                found = SYNTAX_ERROR_LINE.match(str(error))
                return int(found.group(1)) - 1 if found else None
        return None

    def close(self) -> None:
        """Free the isolate, on this thread, before any other is used."""
        self._opened.__exit__(None, None, None)


def answer(isolate: Isolate, request: dict) -> tuple[dict, bool]:
    """The outcome of one run, and whether the process may serve another."""
    try:
        outcome = isolate.run(request["sources"], request["event"], request.get("plan") or {}, request["time_limit"])
        if "error" in outcome and outcome.get("line") is None:
            outcome["line"] = isolate.syntax_error_line(request["sources"])
        return outcome, True
    except JSOOMException:
        return {"stopped": "memory"}, False
    except JSTimeoutException:
        return {"stopped": "memory" if isolate.racer.was_hard_memory_limit_reached() else "time"}, False
    except JSEvalException as error:
        return {"error": str(error).splitlines()[0] if str(error) else ""}, True
    except RecursionError:
        return {"error": "The Action's result is nested too deeply"}, True


def serve(memory_limit: int) -> None:
    """Answer requests until stdin closes or a run had to be stopped."""
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="isolates", daemon=True).start()
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    isolate = Isolate(loop, memory_limit)  # ready before the first request, so a run waits for none
    for line in requests:
        outcome, healthy = answer(isolate, json.loads(line))
        replies.write(json.dumps(outcome).encode() + b"\n")
        replies.flush()
        if not healthy:
            os._exit(0)  # leaves the stopped isolate to the operating system
        isolate.close()
        isolate = Isolate(loop, memory_limit)
    isolate.close()


if __name__ == "__main__":
    os.nice(int(sys.argv[2]) if len(sys.argv) > 2 else 0)  # visitors' code yields the CPU to the site's own work
    serve(int(sys.argv[1]))
