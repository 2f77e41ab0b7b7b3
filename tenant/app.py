"""The tenant as one ASGI app, plus its public keys for in-process verification."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DataError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from storage import Database, DatabaseUnavailable
from tenant.config import TenantConfig
from tenant.endpoints import (dbconnections, device_authorization, discovery, logout, mfa_api, missing_features, revocation,
                              token, userinfo)
from tenant.grants.device_code import DeviceCode
from tenant.lazy_app import BuiltOnFirstUse
from tenant.pages import (activation, applications, authorize, avatar, consent, continue_login, login, mfa,
                          password_reset)
from tenant.security.end_user_headers import EndUserHeaders
from tenant.security.requester import HashRequesterMiddleware
from tenant.services import Tenant
from tenant.store.sessions import BROWSER_COOKIE
from tenant.unavailable import database_unavailable
from tenant.unstorable import unstorable_text

ASSETS_DIR = Path(__file__).parent / "assets"


def management_app(tenant: Tenant) -> ASGIApp:
    """The Management API, imported when first called: its many models are not needed to start."""
    from tenant.management.app import management_app as build
    return build(tenant)


def routes(tenant: Tenant) -> list:
    """Auth0's endpoints, at Auth0's paths."""
    return [
        Route("/.well-known/openid-configuration", discovery.openid_configuration),
        Route("/.well-known/jwks.json", discovery.jwks),
        Route("/authorize", authorize.authorize),
        Route("/u/login", login.login_page),
        Route("/u/login", login.login_submit, methods=["POST"]),
        Route("/u/signup", login.signup_submit, methods=["POST"]),
        Route("/u/applications", applications.applications),
        Route("/u/applications", applications.applications_submit, methods=["POST"]),
        Route("/u/consent", consent.consent_page),
        Route("/u/consent", consent.consent_submit, methods=["POST"]),
        Route("/continue", continue_login.continue_page),
        Route("/u/mfa-otp-enrollment", mfa.enrollment_get),
        Route("/u/mfa-otp-enrollment", mfa.enrollment_submit, methods=["POST"]),
        Route("/u/mfa-otp-challenge", mfa.challenge_get),
        Route("/u/mfa-otp-challenge", mfa.challenge_submit, methods=["POST"]),
        Route("/u/mfa-continue", mfa.continue_submit, methods=["POST"]),
        Route("/oauth/token", token.token, methods=["POST"]),
        Route("/mfa/authenticators", mfa_api.authenticators),
        Route("/mfa/associate", mfa_api.associate, methods=["POST"]),
        Route("/mfa/challenge", mfa_api.challenge, methods=["POST"]),
        Route("/oauth/device/code", device_authorization.device_code, methods=["POST"]),
        Route("/activate", activation.activate),
        Route("/activate", activation.activate_submit, methods=["POST"]),
        Route("/userinfo", userinfo.userinfo, methods=["GET", "POST"]),
        Route("/oauth/revoke", revocation.revoke, methods=["POST"]),
        Route("/oauth/par", missing_features.pushed_authorization_request, methods=["POST"]),
        Route("/bc-authorize", missing_features.backchannel_authorize, methods=["POST"]),
        Route("/passwordless/start", missing_features.passwordless_start, methods=["POST"]),
        Route("/v2/logout", logout.v2_logout),
        Route("/oidc/logout", logout.oidc_logout, methods=["GET", "POST"]),
        Route("/dbconnections/signup", dbconnections.dbconnections_signup, methods=["POST"]),
        Route("/dbconnections/change_password", dbconnections.dbconnections_change_password, methods=["POST"]),
        Route("/lo/reset", password_reset.reset_page),
        Route("/lo/reset", password_reset.reset_submit, methods=["POST"]),
        Route("/avatars/{initials}.svg", avatar.avatar),
        Mount("/assets", StaticFiles(directory=ASSETS_DIR), name="assets"),
        Mount("/api/v2", BuiltOnFirstUse(lambda: management_app(tenant))),
    ]


def allowed_origins(tenant: Tenant) -> list[str]:
    """Origins whose browser code may call the token and userinfo endpoints (Auth0's Allowed Web Origins)."""
    return sorted(tenant.config.web_origins)


class InProcessKeys:
    """What the site's API needs from the tenant in its process: the signing keys, and whether a token is revoked."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant

    def __call__(self) -> dict:
        """The public signing keys, as served at /.well-known/jwks.json."""
        return self.tenant.keys.jwks()

    async def token_is_revoked(self, claims: dict[str, Any]) -> bool:
        """Whether the tenant revoked the grant that this verified access token belongs to."""
        return await self.tenant.revocations.token_is_revoked(claims)


class InProcessLogs:
    """What the site's Logs page reads from the tenant in its process: a visitor's own events."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant

    def visitor_events(self, cookies: Mapping[str, str], user_id: str | None, session_id: str | None,
                       site_browser: str | None, limit: int) -> list[dict]:
        """The events of this browser (the tenant's browser cookie, the site's id), and of the signed-in user."""
        browsers = frozenset(value for value in (cookies.get(BROWSER_COOKIE), site_browser) if value)
        return self.tenant.logs.visitor_events(user_id, session_id, browsers, limit)


class BuiltinTenant:
    """The built-in tenant: its ASGI app, its JWKS, and key rotation."""

    def __init__(self, config: TenantConfig, database: Database) -> None:
        self.tenant = Tenant.build(config, database)
        self.tenant.server.register_grant(DeviceCode)
        cors = Middleware(CORSMiddleware, allow_origins=allowed_origins(self.tenant), allow_methods=["GET", "POST"],
                          allow_headers=["Authorization", "Content-Type", "Auth0-Client", "X-Requested-With"])
        handlers = {**{error: database_unavailable for error in DatabaseUnavailable}, DataError: unstorable_text}
        self.app = Starlette(routes=routes(self.tenant),
                             middleware=[cors, Middleware(EndUserHeaders), Middleware(HashRequesterMiddleware)],
                             exception_handlers=handlers)
        self.app.state.tenant = self.tenant

    @property
    def visitor_logs(self) -> InProcessLogs:
        """The tenant's logs as the site's Logs page reads them: a visitor's own events only."""
        return InProcessLogs(self.tenant)

    @property
    def jwks(self) -> "InProcessKeys":
        """The public signing keys for an API in this process, which also says which tokens the tenant revoked."""
        return InProcessKeys(self.tenant)

    def close(self) -> None:
        """Free what the tenant holds beyond its database: its JavaScript engine and hashing threads."""
        self.tenant.close()

    def rotate_key(self) -> str:
        """Sign with a new key from now on; the old one stays published until its tokens expire."""
        return self.tenant.keys.rotate()
