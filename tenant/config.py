"""What the built-in tenant needs to know about the site that hosts it."""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from server.addresses import is_loopback_host
from tenant.actions.engine import TIME_LIMIT
from tenant.security.hashing import MAX_WAIT_SECONDS

API_AUDIENCE = "https://playground/api"
# The tutorial's example apps (steps 3, 4, 6 and 15) and where the tenant sends their users back.
EXAMPLE_APP_CALLBACKS = (
    "http://localhost:9001/auth/callback", "http://localhost:5000/callback", "http://localhost:8002/auth/callback",
    "http://localhost:3000/auth/callback",
)


def origin_of(url: str) -> str:
    """The scheme and host of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class TenantConfig:
    """The tenant's issuer, the origins its clients may return to, how many passwords it hashes at once, its Actions."""

    issuer: str
    site_origin: str
    audience: str = API_AUDIENCE
    example_callbacks: tuple[str, ...] = EXAMPLE_APP_CALLBACKS
    trusted_proxy_hops: int = 0
    hash_workers: int | None = None  # None: one per CPU the process may use
    max_hash_wait_seconds: float = MAX_WAIT_SECONDS
    extra_callback_urls: tuple[str, ...] = ()
    extra_logout_urls: tuple[str, ...] = ()
    extra_web_origins: tuple[str, ...] = ()
    post_login_actions: tuple[str, ...] | None = None  # JavaScript sources; None runs step 11's Action
    action_secrets: dict[str, str] = field(default_factory=dict)  # event.secrets of the operator's Actions
    action_time_limit: float = TIME_LIMIT
    # A site on a loopback origin is the developer's own machine: the demo M2M client has the whole Management API.
    loopback: bool = False
    # TENANT_MANAGEMENT_SECRET: the secret of the operator's client, whose Management API reach is the whole tenant.
    management_secret: str | None = None

    @classmethod
    def for_site(cls, issuer: str, site_origin: str, post_login_actions: tuple[str, ...] | None = None,
                 trusted_proxy_hops: int = 0, action_secrets: dict[str, str] | None = None,
                 management_secret: str | None = None,
                 **extra_urls: tuple[str, ...]) -> "TenantConfig":
        """The tenant served by the site at `site_origin`, with its Actions and the extra client URLs it allows."""
        # The example apps' localhost URLs are trusted only when the site itself is on a loopback origin: on a public
        # site, a callback on the visitor's own localhost would hand their code to whatever listens there, and the
        # published demo secret would redeem it.
        local = is_loopback_host(urlsplit(site_origin).hostname or "")
        return cls(issuer=issuer, site_origin=site_origin,
                   example_callbacks=EXAMPLE_APP_CALLBACKS if local else (), trusted_proxy_hops=trusted_proxy_hops,
                   post_login_actions=post_login_actions, action_secrets=action_secrets or {}, loopback=local,
                   management_secret=management_secret, **extra_urls)

    @property
    def example_origins(self) -> tuple[str, ...]:
        """The origins of the example apps the tenant trusts."""
        return tuple(dict.fromkeys(origin_of(url) for url in self.example_callbacks))

    @property
    def web_origins(self) -> tuple[str, ...]:
        """Origins whose browser code may talk to the tenant (Auth0's Allowed Web Origins)."""
        return tuple(dict.fromkeys((self.site_origin, *self.example_origins, *self.extra_web_origins)))
