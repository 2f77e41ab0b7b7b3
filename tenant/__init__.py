"""A small Auth0-compatible tenant served in-process when no Auth0 tenant is configured."""

from typing import Any

from tenant.config import TenantConfig
from tenant.on_demand import OnDemandTenant

__all__ = ["BuiltinTenant", "OnDemandTenant", "TenantConfig"]


def __getattr__(name: str) -> Any:
    """`BuiltinTenant`, imported on first use: the site builds its tenant after start-up (see tenant.on_demand)."""
    if name == "BuiltinTenant":
        from tenant.app import BuiltinTenant

        return BuiltinTenant
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
