"""Running a coroutine from a test that may share its thread with a browser test's event loop."""

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

Result = TypeVar("Result")


def run_on_a_thread(coroutine: Coroutine[Any, Any, Result]) -> Result:
    """Run a coroutine to its end on a thread of its own: a browser test may hold this thread's event loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
