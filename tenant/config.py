"""What the built-in tenant needs to know about the site that hosts it."""

from dataclasses import dataclass

API_AUDIENCE = "https://playground/api"
EXAMPLE_APP_ORIGINS = ("http://localhost:9001", "http://localhost:5000", "http://localhost:8002")


@dataclass(frozen=True)
class TenantConfig:
    """The tenant's issuer and the origins its clients may return to."""

    issuer: str
    site_origin: str
    audience: str = API_AUDIENCE
    example_origins: tuple[str, ...] = EXAMPLE_APP_ORIGINS

    @classmethod
    def for_site(cls, issuer: str, site_origin: str) -> "TenantConfig":
        """The tenant served by the site at `site_origin`."""
        return cls(issuer=issuer, site_origin=site_origin)
