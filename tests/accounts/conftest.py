"""An app configured for a real Auth0 tenant whose Authentication API is answered by a fake, in-process."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from main import create_app
from tests.accounts.fake_tenant import FakeTenant, real_tenant_settings


@pytest.fixture
def fake_tenant() -> FakeTenant:
    """The fake Authentication API."""
    return FakeTenant()


@pytest.fixture
def api(tmp_path: Path, fake_tenant: FakeTenant) -> Iterator[TestClient]:
    """The site, its tenant calls answered by `fake_tenant`."""
    app = create_app(real_tenant_settings(tmp_path))
    app.state.tenant_transport = httpx.MockTransport(fake_tenant)
    with TestClient(app) as client:
        yield client
