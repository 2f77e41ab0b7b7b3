"""The live API: one public endpoint and four protected with fastapi-auth0, as its README shows."""

from typing import Any

from fastapi import APIRouter, Security
from pydantic import BaseModel, Field

from routers.deps import TenantApi
from settings import Settings
from tokens.report import describe_token
from tokens.step_up import MFA_POLICY, require_mfa
from tokens.subject import who_is
from tokens.verification import Auth0, Auth0User, JwksSource, VerifiedToken

SCOPES = {
    "openid": "Sign in with OpenID Connect (adds the tenant's /userinfo to the token's audience)",
    "profile": "The user's name and picture, for the ID token",
    "email": "The user's email address, for the ID token",
    "read:messages": "Read messages: alice, admin and the m2m client hold it",
    "admin:messages": "Manage messages: only admin holds it",
}


class AuthErrorBody(BaseModel):
    """Why a request was refused."""

    detail: str
    error: str | None
    check: str


REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"model": AuthErrorBody, "description": "No token, or a token this API cannot trust"},
    403: {"model": AuthErrorBody, "description": "A valid token without the required scope or permission"},
    503: {"model": AuthErrorBody, "description": "The tenant's signing keys cannot be fetched right now"},
}


NO_EMAIL = ("email is null: an access token names its user by sub alone. A post-login Action can copy the email into "
            "it as a custom claim: see /tutorials/custom-claims-with-actions.")


def answer(message: str, user: Auth0User) -> dict[str, Any]:
    """An endpoint's answer: its message and who called, with a pointer when the token carries no email."""
    body: dict[str, Any] = {"message": message, "user": user.model_dump()}
    if user.email is None:
        body["email_note"] = NO_EMAIL
    return body


STEP_UP_REFUSALS: dict[int | str, dict[str, Any]] = {
    **REFUSALS,
    401: {"model": AuthErrorBody, "description": "No token, a token this API cannot trust, or (error "
          "insufficient_user_authentication) a login without MFA: the WWW-Authenticate header's acr_values names "
          f"the policy to ask for ({MFA_POLICY})"},
}


class Transfer(BaseModel):
    """A demonstration transfer: nothing is stored and no money moves."""

    amount: float = Field(gt=0, le=1_000_000, description="How much to send")
    to: str = Field(min_length=1, max_length=64, description="To whom")


def tutorial(slug: str, title: str) -> str:
    """A Markdown link to a tutorial step."""
    return f"Step: [{title}](/tutorials/{slug})."


def token_verifier(settings: Settings, jwks_source: JwksSource | None = None) -> Auth0:
    """The checks this API runs on tokens of the tenant that `settings` name."""
    return Auth0(domain=settings.tenant_base_url, api_audience=settings.auth0_api_audience, scopes=SCOPES,
                 jwks_source=jwks_source)


def create_router(settings: Settings, jwks_source: JwksSource | None = None, auth: Auth0 | None = None) -> APIRouter:
    """The /api endpoints, checking tokens with `auth` (by default, of the tenant that `settings` name)."""
    auth = auth or token_verifier(settings, jwks_source)
    router = APIRouter(prefix="/api", tags=["api"])

    @router.get("/public", description="No token needed: anyone may call it. "
                + tutorial("protect-an-api", "Protect an API"))
    async def get_public() -> dict[str, str]:
        """Answer anyone."""
        return {"message": "Hello from a public endpoint: no token needed."}

    @router.get("/secure", responses=REFUSALS, openapi_extra=auth.openapi_security([]),
                description="Any valid access token for this API: user or machine-to-machine. "
                + tutorial("swagger-sign-in", "Sign in from Swagger UI"))
    async def get_secure(user: Auth0User = Security(auth.bearer_user)) -> dict[str, Any]:
        """Answer any holder of a valid access token."""
        return answer("Your access token is valid for this API.", user)

    @router.get("/scoped", responses=REFUSALS, openapi_extra=auth.openapi_security(["read:messages"]),
                description="Needs the scope read:messages in the token's scope claim; bob gets 403. "
                + tutorial("permissions-vs-scopes", "Permissions vs scopes"))
    async def get_scoped(user: Auth0User = Security(auth.bearer_user, scopes=["read:messages"])) -> dict[str, Any]:
        """Answer tokens granted read:messages."""
        return answer("Your token carries the scope read:messages.", user)

    @router.get("/admin", responses=REFUSALS, openapi_extra=auth.openapi_security(["admin:messages"]),
                description="Needs admin:messages in the token's permissions claim (RBAC), whatever the scope "
                "says: only admin has it. " + tutorial("permissions-vs-scopes", "Permissions vs scopes"))
    async def get_admin(
        user: Auth0User = Security(auth.bearer_user_with_permissions, scopes=["admin:messages"]),
    ) -> dict[str, Any]:
        """Answer tokens whose permissions include admin:messages."""
        return answer("Your token's permissions include admin:messages.", user)

    @router.get("/claims", responses=REFUSALS, openapi_extra=auth.openapi_security([]),
                description="Any valid access token: returns its decoded header and claims, explained. "
                + tutorial("read-your-token", "Read your token") + " "
                + tutorial("machine-to-machine", "Machine-to-machine tokens"))
    async def get_claims(tenant: TenantApi,
                         token: VerifiedToken = Security(auth.bearer_verified_token)) -> dict[str, Any]:
        """The verified token, decoded and explained, with who its subject is."""
        report = describe_token(token.header, token.claims, issuer=auth.issuer, audience=auth.audience)
        return {"kind": report.pop("kind"), "sub_is": await who_is(token.token, token.claims, auth.issuer, tenant),
                **report}

    @router.post("/transfer", responses=STEP_UP_REFUSALS, openapi_extra=auth.openapi_security([]),
                 description="A sensitive operation (a demo: nothing is stored, no money moves). Needs a valid access "
                 "token whose login included multi-factor authentication: its amr claim lists mfa, or its acr claim "
                 "is the multi-factor policy. Any other token gets 401 with WWW-Authenticate: Bearer "
                 "error=\"insufficient_user_authentication\" and the acr_values to log in again with (RFC 9470). "
                 + tutorial("step-up", "Step up for a sensitive endpoint"))
    async def post_transfer(transfer: Transfer,
                            token: VerifiedToken = Security(auth.bearer_verified_token)) -> dict[str, Any]:
        """Accept the transfer for a login that passed MFA."""
        require_mfa(token)
        return {"message": f"Transfer of {transfer.amount:.2f} to {transfer.to} accepted (a demo: nothing moved).",
                "amr": token.claims.get("amr"), "acr": token.claims.get("acr"), "sub": token.claims["sub"]}

    return router
