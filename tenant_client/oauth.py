"""The site's OAuth client for the tenant (built-in or Auth0), registered with authlib from the discovery document."""

import logging
import warnings

import httpx
from authlib.deprecate import AuthlibDeprecationWarning

# authlib prefers the `httpx2` fork but works with the pinned httpx; its notice would precede every start-up line.
warnings.filterwarnings("ignore", "The httpx module is deprecated", AuthlibDeprecationWarning)

from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App  # noqa: E402

from flow_inspector.records import EVENT_HOOKS
from settings import API_SCOPES, Settings
from tenant_client.authentication_api import TENANT_TIMEOUT

CLIENT_NAME = "auth0"
LOGIN_SCOPE = f"openid profile email {API_SCOPES}"
CALLBACK_PATH = "/auth/callback"

# authlib logs issued tokens and PKCE verifiers at DEBUG: keep them out of the logs even when debugging the site.
logging.getLogger("authlib").setLevel(logging.INFO)


def register_auth0_client(settings: Settings, transport: httpx.AsyncBaseTransport | None = None) -> StarletteOAuth2App:
    """Authorization code with PKCE (S256); authlib adds `state`, and `nonce` because the scope has `openid`."""
    client_kwargs: dict[str, object] = {
        "scope": LOGIN_SCOPE, "code_challenge_method": "S256", "timeout": TENANT_TIMEOUT,
        # The flow inspector records the back channel of the visitor's own login (flow_inspector.records).
        "event_hooks": EVENT_HOOKS,
    }
    if transport is not None:
        client_kwargs["transport"] = transport
    return OAuth().register(
        CLIENT_NAME,
        client_id=settings.web_client_id,
        client_secret=settings.web_client_secret,
        server_metadata_url=f"{settings.tenant_base_url}/.well-known/openid-configuration",
        client_kwargs=client_kwargs,
        # Naming the API makes the access token a JWT for that audience instead of an opaque one.
        authorize_params={"audience": settings.auth0_api_audience},
    )


def callback_url(settings: Settings) -> str:
    """The redirect URI: always on the canonical origin, so it matches the tenant's Allowed Callback URLs."""
    return f"{settings.site_origin}{CALLBACK_PATH}"
