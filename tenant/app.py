"""The tenant as one ASGI app, plus its public keys for in-process verification."""

from starlette.applications import Starlette

from tenant.config import TenantConfig


class BuiltinTenant:
    """The built-in tenant: its ASGI app and its JWKS."""

    def __init__(self, config: TenantConfig) -> None:
        self.config = config
        self.app = Starlette()

    def jwks(self) -> dict:
        """The public signing keys, as served at /.well-known/jwks.json."""
        return {"keys": []}
