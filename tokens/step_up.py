"""Step-up authentication (RFC 9470): an endpoint that needs a token whose login included a second factor."""

from typing import Any

from tokens.verification import AuthError, VerifiedToken, header_safe

# Auth0's multi-factor policy, which a client asks for in `acr_values` and the tokens then state in `acr`.
MFA_POLICY = "http://schemas.openid.net/pape/policies/2007/06/multi-factor"
INSUFFICIENT_USER_AUTHENTICATION = "insufficient_user_authentication"
MFA_NEEDED = ("This operation needs a login with multi-factor authentication: the token's amr claim must include "
              "mfa (or its acr claim be the multi-factor policy). Log in again with acr_values set to the policy.")


class InsufficientUserAuthentication(AuthError):
    """401: a valid token whose login was not strong enough; the challenge says which acr_values to ask for."""

    def __init__(self, message: str = MFA_NEEDED, acr_values: str = MFA_POLICY) -> None:
        header = (f'Bearer error="{INSUFFICIENT_USER_AUTHENTICATION}", error_description="{header_safe(message)}", '
                  f'acr_values="{acr_values}"')
        super().__init__(401, message, error=INSUFFICIENT_USER_AUTHENTICATION, check="step-up",
                         headers={"WWW-Authenticate": header})


def included_mfa(claims: dict[str, Any]) -> bool:
    """Whether the token's login included MFA: `amr` lists mfa, or `acr` is the multi-factor policy."""
    amr = claims.get("amr")
    return (isinstance(amr, list) and "mfa" in amr) or claims.get("acr") == MFA_POLICY


def require_mfa(token: VerifiedToken) -> VerifiedToken:
    """The token, when its login included MFA; InsufficientUserAuthentication otherwise."""
    if not included_mfa(token.claims):
        raise InsufficientUserAuthentication()
    return token
