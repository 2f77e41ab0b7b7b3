"""What the built-in tenant needs to know about the site that hosts it."""

from dataclasses import dataclass

from tenant.hashing import HASH_WORKERS, MAX_WAITING_HASHES

API_AUDIENCE = "https://playground/api"
EXAMPLE_APP_ORIGINS = ("http://localhost:9001", "http://localhost:5000", "http://localhost:8002")


@dataclass(frozen=True)
class TenantConfig:
    """The tenant's issuer, the origins its clients may return to, how many passwords it hashes at once, its Actions."""

    issuer: str
    site_origin: str
    audience: str = API_AUDIENCE
    example_origins: tuple[str, ...] = EXAMPLE_APP_ORIGINS
    hash_workers: int = HASH_WORKERS
    max_waiting_hashes: int = MAX_WAITING_HASHES
    extra_callback_urls: tuple[str, ...] = ()
    extra_logout_urls: tuple[str, ...] = ()
    extra_web_origins: tuple[str, ...] = ()
    post_login_actions: tuple[str, ...] | None = None  # JavaScript sources; None runs step 11's Action

    @classmethod
    def for_site(cls, issuer: str, site_origin: str, post_login_actions: tuple[str, ...] | None = None,
                 **extra_urls: tuple[str, ...]) -> "TenantConfig":
        """The tenant served by the site at `site_origin`, with its Actions and the extra client URLs it allows."""
        return cls(issuer=issuer, site_origin=site_origin, post_login_actions=post_login_actions, **extra_urls)

    @property
    def web_origins(self) -> tuple[str, ...]:
        """Origins whose browser code may talk to the tenant (Auth0's Allowed Web Origins)."""
        return tuple(dict.fromkeys((self.site_origin, *self.example_origins, *self.extra_web_origins)))
