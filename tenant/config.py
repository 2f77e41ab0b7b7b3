"""What the built-in tenant needs to know about the site that hosts it."""

from dataclasses import dataclass
from pathlib import Path

API_AUDIENCE = "https://playground/api"
EXAMPLE_APP_ORIGINS = ("http://localhost:9001", "http://localhost:5000", "http://localhost:8002")


@dataclass(frozen=True)
class TenantConfig:
    """The tenant's issuer, the origins its clients may return to, and where it keeps its state."""

    issuer: str
    site_origin: str
    data_dir: Path
    audience: str = API_AUDIENCE
    example_origins: tuple[str, ...] = EXAMPLE_APP_ORIGINS
    post_login_actions: tuple[str, ...] | None = None  # JavaScript sources; None runs step 11's Action

    @classmethod
    def for_site(cls, issuer: str, site_origin: str, data_dir: Path,
                 post_login_actions: tuple[str, ...] | None = None) -> "TenantConfig":
        """The tenant served by the site at `site_origin`."""
        return cls(issuer=issuer, site_origin=site_origin, data_dir=Path(data_dir),
                   post_login_actions=post_login_actions)
