"""The token endpoint's grant types, one module each."""

from tenant.grants.authorization_code import AuthorizationCode, PkceChallenge
from tenant.grants.base import TenantServices
from tenant.grants.client_credentials import ClientCredentials
from tenant.grants.implicit import Implicit
from tenant.grants.mfa import MfaOtp, MfaRecoveryCode
from tenant.grants.password import Password, PasswordRealm
from tenant.grants.refresh_token import RefreshToken


def register_grants(server: object, services: TenantServices) -> None:
    """Register the tenant's grants on the authlib server."""
    server.services = services
    server.register_grant(AuthorizationCode, [PkceChallenge(required=True)])
    server.register_grant(Implicit)
    server.register_grant(Password)
    server.register_grant(PasswordRealm)
    server.register_grant(ClientCredentials)
    server.register_grant(RefreshToken)
    server.register_grant(MfaOtp)
    server.register_grant(MfaRecoveryCode)
