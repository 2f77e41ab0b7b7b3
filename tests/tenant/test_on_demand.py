"""The site starts without its tenant built: it is built on a thread as the server starts, or by the first request."""

from fastapi.testclient import TestClient

from main import create_app
from storage import database_url_for, open_database
from tenant import OnDemandTenant, TenantConfig
from tests.conftest import builtin_settings
from tests.tenant.conftest import ISSUER, SITE


def test_the_app_is_built_without_its_tenant_and_a_tenant_request_finds_it_built(tmp_path) -> None:
    app = create_app(builtin_settings(tmp_path))
    tenant: OnDemandTenant = app.state.builtin_tenant
    assert tenant._built is None
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/tenant/.well-known/jwks.json").json()["keys"]
        assert tenant._built is not None


def test_the_warm_up_builds_the_tenant_on_its_own_thread(tmp_path) -> None:
    tenant = OnDemandTenant(TenantConfig(issuer=ISSUER, site_origin=SITE),
                            open_database(database_url_for(None, tmp_path)))
    assert tenant.routes == []  # listing routes builds nothing
    tenant.warm_up().join(60)
    assert tenant._built is not None and tenant.routes
    tenant.close()
