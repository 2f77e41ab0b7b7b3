"""When a login needs MFA: the one place every login pipeline asks."""

from tenant.oauth import TenantRequest

# Auth0's policy URI for multi-factor authentication: asked for in `acr_values`, stated in the `acr` claim.
MFA_POLICY = "http://schemas.openid.net/pape/policies/2007/06/multi-factor"
MFA_METHOD = "mfa"
MFA_REQUIRED_DESCRIPTION = "Multifactor authentication required"


class MfaRequired(Exception):
    """This login must pass MFA before tokens are issued."""

    def __init__(self, user_id: str) -> None:
        super().__init__(user_id)
        self.user_id = user_id


def acr_asks_mfa(request: TenantRequest) -> bool:
    """Whether the authorization request asked for the multi-factor policy in `acr_values`."""
    return MFA_POLICY in (request.payload.data.get("acr_values") or "").split()


def require_mfa(request: TenantRequest, user_id: str, enrolled: bool, required: bool) -> None:
    """The MFA step's entry point: a login needs MFA when the user is enrolled, when `acr_values` asks for it, or
    when `required` says so (an Action's `api.multifactor.enable`); raises MfaRequired until this login has done it."""
    if (enrolled or required or acr_asks_mfa(request)) and MFA_METHOD not in request.amr:
        raise MfaRequired(user_id)


def achieved_acr(request: TenantRequest) -> str | None:
    """The `acr` claim: the multi-factor policy URI, when it was asked for and MFA was done."""
    return MFA_POLICY if acr_asks_mfa(request) and MFA_METHOD in request.amr else None
