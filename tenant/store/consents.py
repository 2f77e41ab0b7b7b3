"""When Auth0 asks a user to consent, and what the consent screen lists."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from server.addresses import is_loopback_host
from tenant.directory import Api
from tenant.oauth import TenantRequest
from tenant.store.store import Store

CONSENT_STEP = "consent"
DECLINED = "User did not authorize the request"
# What Auth0's consent screen says for the OpenID Connect scopes; `openid` itself is not listed.
PROFILE_SCOPES = {
    "profile": "Your profile: name, nickname and picture",
    "email": "Your email address",
    "offline_access": "Stay signed in to it (offline access)",
}


@dataclass(frozen=True)
class ConsentAsk:
    """The user, application, API and scopes a consent screen is about."""

    user_id: str
    client_id: str
    audience: str
    scopes: frozenset[str]


def requested_consent(request: TenantRequest, redirect_uri: str, user_id: str) -> ConsentAsk | None:
    """What the user would consent to: only a request for an API whose callback is on a loopback host."""
    # A first-party application may skip consent, but nobody can verify who runs an application on localhost, so
    # Auth0 asks there whatever the application's settings say.
    if request.audience is None or not is_loopback_host(urlsplit(redirect_uri).hostname or ""):
        return None
    return ConsentAsk(user_id, request.client.client_id, request.audience, frozenset((request.scope or "").split()))


def needs_consent(store: Store, ask: ConsentAsk | None, prompt: str) -> bool:
    """Whether to show the consent screen: never given for these scopes, or asked again with `prompt=consent`."""
    if ask is None:
        return False
    if "consent" in prompt.split():
        return True
    return not ask.scopes <= store.consented_scopes(ask.user_id, ask.client_id, ask.audience)


def remember_consent(store: Store, ask: ConsentAsk) -> None:
    """Keep the user's consent, so that the screen is not shown again for these scopes."""
    store.add_consent(ask.user_id, ask.client_id, ask.audience, ask.scopes)


def listed_scopes(api: Api, scopes: frozenset[str]) -> list[tuple[str, str]]:
    """The screen's lines: each scope asked for with what it lets the application do, profile scopes first."""
    profile = [(scope, text) for scope, text in PROFILE_SCOPES.items() if scope in scopes]
    return profile + [(scope, text) for scope, text in api.permissions.items() if scope in scopes]
