"""The app factory: settings, the built-in tenant when no Auth0 tenant is configured, and the routers."""

import httpx
import uvicorn
from fastapi import FastAPI

from routers import pages
from settings import TENANT_MOUNT_PATH, Settings, load_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the site for the given settings (read from the environment when omitted)."""
    settings = settings or load_settings()
    app = FastAPI(title="Auth0 Playground", docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.jwks_source = None
    app.state.tenant_transport = None
    if settings.uses_builtin_tenant:
        from tenant import BuiltinTenant, TenantConfig

        tenant = BuiltinTenant(TenantConfig.for_site(settings.issuer, settings.site_origin, settings.data_dir))
        app.mount(TENANT_MOUNT_PATH, tenant.app)
        app.state.jwks_source = tenant.jwks
        # Server-side calls to the built-in tenant stay in-process: no socket, no DNS, same code path as Auth0.
        app.state.tenant_transport = httpx.ASGITransport(app=app)
    app.include_router(pages.router)
    return app


app = create_app()

if __name__ == "__main__":
    uvicorn.run("main:app", host="0.0.0.0", port=app.state.settings.port, proxy_headers=True, forwarded_allow_ips="*")
