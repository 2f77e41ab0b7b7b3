"""Fixtures for the API tests: tokens from the built-in tenant, and an API that trusts a key the test holds."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey

from routers import api
from tests.api import tokens
from tests.conftest import builtin_settings
from tokens.verification import AuthError, auth_error_response


@pytest.fixture(scope="session")
def access_tokens(site: TestClient) -> dict[str, str]:
    """Access tokens from the built-in tenant: each demo user by password grant, and the m2m client."""
    issued = {user: tokens.password_grant(site, user)["access_token"] for user in tokens.USERS}
    issued["m2m"] = tokens.client_credentials(site)
    return issued


@pytest.fixture
def browserless(site: TestClient) -> TestClient:
    """A client of the same site with its own cookie jar, so tenant sessions do not leak between tests."""
    return TestClient(site.app, base_url="http://testserver")


@pytest.fixture(scope="session")
def own_key_api(test_key: RSAKey, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The /api router alone, trusting only `test_key`, for claims the built-in tenant would never issue."""
    settings = builtin_settings(Path(tmp_path_factory.mktemp("own-key")))
    app = FastAPI()
    app.state.settings, app.state.tenant_transport = settings, None  # what /api/claims asks the tenant with
    app.add_exception_handler(AuthError, auth_error_response)
    jwks = tokens.jwks_of(test_key)
    app.include_router(api.create_router(settings, lambda: jwks))
    with TestClient(app) as client:
        yield client
