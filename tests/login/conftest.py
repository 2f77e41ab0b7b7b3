"""A site configured for an Auth0 tenant that `FakeProvider` answers in-process."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from main import create_app
from tenant_client.oauth import register_auth0_client
from tests.accounts.fake_tenant import AUDIENCE, CLIENT_ID, TENANT_DOMAIN, real_tenant_settings
from tests.login.fake_provider import FakeProvider


@pytest.fixture
def provider() -> FakeProvider:
    """The fake Auth0 tenant."""
    return FakeProvider(TENANT_DOMAIN, CLIENT_ID, AUDIENCE)


@pytest.fixture
def auth0_site(tmp_path: Path, provider: FakeProvider) -> Iterator[TestClient]:
    """The site with AUTH0_DOMAIN set, every call to the tenant answered by `provider`."""
    app = create_app(real_tenant_settings(tmp_path))
    app.state.tenant_transport = httpx.MockTransport(provider)
    app.state.auth0_client = register_auth0_client(app.state.settings, app.state.tenant_transport)
    with TestClient(app, follow_redirects=False) as client:
        yield client
