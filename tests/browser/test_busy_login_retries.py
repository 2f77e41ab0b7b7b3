"""A login the tenant is too busy to check is sent again by the page itself once the time it named has passed."""

import threading
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from main import create_app
from tenant.security.hashing import HashPool
from tests.browser.tenant_login import accept_consent_if_asked
from tests.conftest import builtin_settings
from tests.local_server import HOST, free_port
from tests.tenant.test_hashing import occupied, wait_for


@pytest.fixture
def site_in_this_process(tmp_path) -> Iterator[tuple[str, FastAPI]]:
    """The site under uvicorn on a thread of this process, so that the test can hold its hash pool busy.

    Started once before, so that the demo users exist and no login is remembered: each needs a hash.
    """
    port = free_port()
    origin = f"http://{HOST}:{port}"
    settings = builtin_settings(tmp_path, origin=origin)
    first_start = create_app(settings)  # the demo users are created, then forgotten with this process's memory
    first_start.state.builtin_tenant.close()
    first_start.state.database.dispose()
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host=HOST, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started)
    yield origin, app
    server.should_exit = True
    thread.join(10)


def test_a_busy_login_page_counts_down_and_signs_in_by_itself(page: Page, site_in_this_process) -> None:
    origin, app = site_in_this_process
    pool: HashPool = app.state.builtin_tenant.tenant.users.passwords.pool
    pool.max_wait_seconds = 0  # while a hash runs, any other is refused: the page is told to come back
    page.goto(f"{origin}/auth/login")
    page.locator("input[name=username]").fill("bob@example.com")
    page.locator("input[name=password]").fill("bob-demo-1")
    with ExitStack() as every_thread_busy:
        for number in range(pool.workers):
            every_thread_busy.enter_context(occupied(pool, f"192.0.2.{number + 1}"))
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("alert")).to_contain_text("Trying again by itself in")
        expect(page.locator("#retry-countdown")).to_be_visible()
        assert page.locator("input[name=password]").input_value() == ""
    accept_consent_if_asked(page)
    expect(page).to_have_url(f"{origin}/profile")
    expect(page.locator("body")).to_contain_text("bob@example.com")
