"""A small Auth0-compatible tenant served in-process when no Auth0 tenant is configured."""

from tenant.app import BuiltinTenant
from tenant.config import TenantConfig

__all__ = ["BuiltinTenant", "TenantConfig"]
