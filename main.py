"""The app factory: settings, the built-in tenant when no Auth0 tenant is configured, and the routers."""

from server.start_up_gc import freeze_start_up_objects  # first: collection is off until the app is built

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import uvicorn
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles

from errors.pages import install_error_pages
from errors.validation import validation_error_response
from flow_inspector.store import FlowStore
from middleware.body_limit import BodySizeLimit
from middleware.browser_id import BrowserIdCookie
from middleware.canonical_origin import CanonicalOriginMiddleware, origin_is_assumed
from middleware.database_unavailable import AnswerDatabaseUnavailable
from middleware.ended_sessions import EndedLogins, RefuseEndedSessions
from middleware.security_headers import SecurityHeaders
from middleware.sessions import add_session_middleware
from progress.milestones import ProgressMiddleware
from room.recording import RoomMiddleware
from room.service import build_room
from routers import (accounts, actions_editor, api, authenticator, decoder, demo, docs, inspector, login, logs,
                     pages, progress, room, stepper, troubleshooting)
from server.addresses import uvicorn_proxy_options
from server.in_process import in_process
from server.limits import uvicorn_limits
from server.local_https import local_certificate
from server.log_hygiene import install_log_hygiene
from settings import Settings, load_settings
from storage import open_database
from templating.environment import templates
from templating.page_context import install_page_context
from tenant_client.oauth import register_auth0_client
from tokens.verification import AuthError, auth_error_response
from tutorial_engine.site import STATIC_DIR, SiteTutorial

WARM_UP_DELAY_SECONDS = 1.0


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Render the tutorial on a thread soon after start-up; close the tenant and the database at last."""
    # A moment after start-up, so that it does not slow the first answer (often the platform's health check); a
    # request that needs it before it is ready waits for it.
    loop = asyncio.get_running_loop()
    loop.call_later(WARM_UP_DELAY_SECONDS, app.state.tutorial.warm_up)
    yield
    if app.state.builtin_tenant is not None:
        app.state.builtin_tenant.close()
    if app.state.database is not None:
        app.state.database.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the site for the given settings (read from the environment when omitted)."""
    settings = settings or load_settings()
    install_log_hygiene()
    app = FastAPI(title="Auth0 Playground", docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.jwks_source = None
    app.state.tenant_transport = None
    app.state.builtin_tenant = None
    app.state.tenant_paths = None
    app.state.tenant_contents = None
    app.state.tenant_logs = None
    app.state.actions_lab = None
    # The built-in tenant's state and the room's counts: opened with a real Auth0 tenant too, for the room.
    app.state.database = open_database(settings.storage_url)
    if settings.uses_builtin_tenant:
        from tenant import BuiltinTenant, TenantConfig
        from tenant.contents import tenant_contents
        from tenant.root_mount import TenantAtRoot

        with app.state.database.at_startup():
            tenant = BuiltinTenant(TenantConfig.for_site(settings.issuer, settings.site_origin,
                                                         settings.post_login_actions, settings.trusted_proxy_hops,
                                                         action_secrets=settings.action_secrets,
                                                         management_secret=settings.management_secret,
                                                         **settings.tenant_extra_urls),
                                   app.state.database)
        app.state.tenant_paths = TenantAtRoot(tenant.app)
        app.state.tenant_contents = tenant_contents(settings.auth0_api_audience)
        app.state.builtin_tenant = tenant
        app.state.actions_lab = tenant.tenant.lab
        app.state.jwks_source = tenant.jwks
        app.state.tenant_logs = tenant.visitor_logs
        # Server-side calls to the built-in tenant stay in-process: no socket, no DNS, same code path as Auth0. They
        # go straight to the tenant (the site's own middleware has nothing to do for them), marked as the site's own:
        # they alone may name the visitor they are made for (tenant.security.end_user_headers).
        app.state.tenant_transport = httpx.ASGITransport(app=in_process(tenant.app))
    app.state.tutorial = SiteTutorial(settings)
    app.state.flows = FlowStore(app.state.database)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_page_context(templates)
    install_error_pages(app)
    app.add_exception_handler(RequestValidationError, validation_error_response)
    app.include_router(pages.router)
    app.state.auth0_client = register_auth0_client(settings, app.state.tenant_transport)
    app.include_router(login.router)
    app.include_router(accounts.router)
    if settings.uses_builtin_tenant:
        app.include_router(demo.router)
    app.add_exception_handler(AuthError, auth_error_response)
    app.state.token_verifier = api.token_verifier(settings, app.state.jwks_source)
    app.include_router(api.create_router(settings, auth=app.state.token_verifier))
    app.include_router(decoder.router)
    app.include_router(authenticator.router)
    app.include_router(inspector.router)
    app.include_router(stepper.router)
    app.include_router(logs.router)
    app.include_router(actions_editor.router)
    docs.install(app)
    app.include_router(progress.router)
    app.include_router(troubleshooting.router)
    if app.state.tenant_paths is not None:
        app.router.routes.append(app.state.tenant_paths)  # after the site's own routes, which share none of its paths
    app.state.room = build_room(app.state.database, app.state.token_verifier, app.state.tutorial)
    app.include_router(room.router)
    app.add_middleware(BodySizeLimit, limit=accounts.MAX_BODY_BYTES, paths=accounts.LIMITED_PATHS | demo.LIMITED_PATHS)
    app.add_middleware(BrowserIdCookie, paths=accounts.LIMITED_PATHS, secure=settings.site_origin.startswith("https"))
    app.add_middleware(BodySizeLimit, limit=decoder.MAX_BODY_BYTES, paths=decoder.LIMITED_PATHS)
    app.add_middleware(BodySizeLimit, limit=stepper.MAX_BODY_BYTES, paths=stepper.LIMITED_PATHS)
    app.add_middleware(BodySizeLimit, limit=actions_editor.MAX_BODY_BYTES, paths=actions_editor.LIMITED_PATHS)
    # Inside the session middleware, so that it can tick milestones in the session.
    app.add_middleware(ProgressMiddleware, swagger_client_id=settings.swagger_client_id)
    # Outside the progress middleware, whose findings it records; inside the session, which keeps the visitor's id.
    app.add_middleware(RoomMiddleware, recorder=app.state.room.recorder)
    # Just inside the session middleware: a session whose sign-in a logout ended is empty for everything else.
    app.state.ended_logins = EndedLogins(app.state.database)
    app.add_middleware(RefuseEndedSessions, logins=app.state.ended_logins)
    add_session_middleware(app, settings, app.state.database)
    # Outside the session, whose ended sign-ins are checked in the database; inside the headers every answer gets.
    app.add_middleware(AnswerDatabaseUnavailable)
    app.add_middleware(SecurityHeaders, settings=settings,
                       tenant_serves=app.state.tenant_paths.serves if app.state.tenant_paths else None)
    # Added last, so it runs first: a page request on another host never reaches the session or the routers.
    app.add_middleware(CanonicalOriginMiddleware, origin=settings.site_origin, assumed=origin_is_assumed(settings))
    return app


def command_line_settings(arguments: list[str]) -> Settings:
    """The settings of `python main.py [--https]`."""
    parser = argparse.ArgumentParser(prog="python main.py", description="Serve Auth0 Playground.")
    parser.add_argument("--https", action="store_true",
                        help="serve https://localhost with a local CA's certificate, made once under DATA_DIR")
    return load_settings(local_https=True) if parser.parse_args(arguments).https else load_settings()


def tls_options(settings: Settings) -> dict[str, str]:
    """uvicorn's certificate options for a local https run, after one line on how clients trust it."""
    if not settings.local_https:
        return {}
    certificate = local_certificate(settings.data_dir)
    print(certificate.trust_hint(), flush=True)
    return {"ssl_certfile": str(certificate.certificate), "ssl_keyfile": str(certificate.key)}


app = create_app(command_line_settings(sys.argv[1:]) if __name__ == "__main__" else None)
freeze_start_up_objects()

if __name__ == "__main__":
    # Forwarded headers are trusted as the Procfile's command trusts them: only behind TRUSTED_PROXY_HOPS proxies.
    uvicorn.run(app, host="0.0.0.0", port=app.state.settings.port,
                **uvicorn_proxy_options(app.state.settings.trusted_proxy_hops), **uvicorn_limits(),
                **tls_options(app.state.settings))
