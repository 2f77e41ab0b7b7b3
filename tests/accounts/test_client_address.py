"""The address the lockout counts is one the client cannot choose: run directly, behind the platform's router, and
with spoofed X-Forwarded-For headers, at the site's /auth/token and at the tenant's own endpoints."""

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from main import create_app
from tests.accounts.fake_tenant import real_tenant_settings
from tests.conftest import builtin_settings

ROUTER_SAW = "198.51.100.23"
WRONG_TRIES = 10  # the lockout's threshold


def stranger() -> dict[str, str]:
    """Credentials of nobody, so that every try fails."""
    return {"email": f"user-{uuid.uuid4().hex[:10]}@example.com", "password": "not-the-password-1"}


@pytest.fixture
def direct(tmp_path) -> Iterator[TestClient]:
    """`python main.py` reached directly: no proxy trusted (the default)."""
    with TestClient(create_app(builtin_settings(tmp_path)), client=(ROUTER_SAW, 50000)) as client:
        yield client


@pytest.fixture
def behind_router(tmp_path) -> Iterator[TestClient]:
    """As deployed: uvicorn trusting every proxy (--forwarded-allow-ips='*'), TRUSTED_PROXY_HOPS=1."""
    app = create_app(builtin_settings(tmp_path, trusted_proxy_hops=1))
    with TestClient(ProxyHeadersMiddleware(app, trusted_hosts="*"), client=("10.1.0.1", 50000)) as client:
        yield client


def token_tries(client: TestClient, forwarded: list[list[str]]) -> list[int]:
    """POST /auth/token with a stranger's credentials, once per list of X-Forwarded-For header lines."""
    wrong, answers = stranger(), []
    for lines in forwarded:
        client.cookies.clear()  # a client without a browser id: counted by its address alone
        answers.append(client.post("/auth/token", json=wrong,
                                   headers=[("x-forwarded-for", line) for line in lines]).status_code)
    return answers


def spoofed(count: int, *appended: str) -> list[list[str]]:
    """`count` tries, each claiming a new address, with the proxies' own entries appended after it."""
    return [[", ".join([f"10.0.0.{number}", *appended])] for number in range(count)]


def test_direct_run_ignores_forwarded_headers(direct):
    assert token_tries(direct, spoofed(WRONG_TRIES + 1)) == [401] * WRONG_TRIES + [429]


def test_direct_run_ignores_values_that_are_not_addresses(direct):
    forwarded = [[f"not-an-address-{number}"] for number in range(WRONG_TRIES + 1)]
    assert token_tries(direct, forwarded) == [401] * WRONG_TRIES + [429]


def test_behind_the_router_rotating_left_most_entries_does_not_escape(behind_router):
    assert token_tries(behind_router, spoofed(WRONG_TRIES + 1, ROUTER_SAW)) == [401] * WRONG_TRIES + [429]


def test_behind_the_router_every_header_line_counts(behind_router):
    # A second line, as a proxy that adds its own line instead of appending: the router's entry is still last.
    forwarded = [[f"10.0.0.{number}", ROUTER_SAW] for number in range(WRONG_TRIES + 1)]
    assert token_tries(behind_router, forwarded) == [401] * WRONG_TRIES + [429]


def test_behind_the_router_a_junk_last_entry_is_ignored(behind_router):
    forwarded = [[f"10.0.0.{number}, {ROUTER_SAW}, junk-{number}"] for number in range(WRONG_TRIES + 1)]
    assert token_tries(behind_router, forwarded) == [401] * WRONG_TRIES + [429]


def login_tries(client: TestClient, forwarded: list[list[str]]) -> list[int]:
    """The tenant's password grant, as a client app would call it, once per list of header lines."""
    wrong = stranger()
    form = {"grant_type": "password", "client_id": "web-app", "client_secret": "web-app-secret",
            "username": wrong["email"], "password": wrong["password"]}
    return [client.post("/oauth/token", data=form,
                        headers=[("x-forwarded-for", line) for line in lines]).status_code for lines in forwarded]


def test_the_tenant_counts_the_same_address_directly(direct):
    assert login_tries(direct, spoofed(WRONG_TRIES + 1)) == [403] * WRONG_TRIES + [429]


def test_the_tenant_counts_the_same_address_behind_the_router(behind_router):
    assert login_tries(behind_router, spoofed(WRONG_TRIES + 1, ROUTER_SAW)) == [403] * WRONG_TRIES + [429]


def test_the_tenant_is_told_the_address_the_router_saw(tmp_path, fake_tenant):
    app = create_app(real_tenant_settings(tmp_path).model_copy(update={"trusted_proxy_hops": 1}))
    app.state.tenant_transport = __import__("httpx").MockTransport(fake_tenant)
    fake_tenant.answer(200, {"access_token": "eyJ.header.sig", "token_type": "Bearer", "expires_in": 86400})
    with TestClient(app) as client:
        client.post("/auth/token", json={"email": "alice@example.com", "password": "alice-demo-1"},
                    headers={"x-forwarded-for": f"10.0.0.1, {ROUTER_SAW}"})
    assert fake_tenant.requests[0].headers["auth0-forwarded-for"] == ROUTER_SAW
