"""The token decoder and workbench: a page that decodes, edits, signs and verifies JWTs in the browser, and the endpoint
that runs this API's checks on one."""

# The token is checked and forgotten: it is neither stored nor logged.

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from routers.deps import TokenVerifier
from templating.environment import templates
from tokens.checks import NotAJwt, check_token, report
from tokens.report import CLAIM_EXPLANATIONS, HEADER_EXPLANATIONS, NAMESPACED_CLAIM, UNKNOWN_CLAIM, explain_claim
from tokens.verification import MAX_TOKEN_LENGTH

router = APIRouter(tags=["token decoder"])
MAX_BODY_BYTES = 2 * MAX_TOKEN_LENGTH
LIMITED_PATHS = frozenset({"/decoder/checks"})


class TokenToCheck(BaseModel):
    """A token pasted into the decoder."""

    token: Annotated[str, Field(min_length=1, max_length=MAX_TOKEN_LENGTH)]


class CheckResult(BaseModel):
    """One check: passed or failed, and why."""

    name: str
    title: str
    passed: bool
    detail: str


class CheckReport(BaseModel):
    """Every check this API runs, each marked; `accepted` when all passed."""

    accepted: bool
    issuer: str
    audience: str
    checks: list[CheckResult]


class NotAJwtBody(BaseModel):
    """Why the text cannot be decoded."""

    detail: str


def pasted_token(text: str) -> str:
    """The token without a "Bearer " prefix or the line breaks and spaces of wrapped, copied text."""
    text = text.strip()
    if text[:7].lower() == "bearer ":
        text = text[7:]
    return "".join(text.split())


@router.get("/decoder", response_class=HTMLResponse, include_in_schema=False)
async def decoder_page(request: Request, auth: TokenVerifier) -> HTMLResponse:
    """Paste a JWT: its parts decoded and explained; the API's checks marked; a workbench to edit and sign it."""
    explanations = {
        "header": HEADER_EXPLANATIONS,
        "claims": {name: explain_claim(name, issuer=auth.issuer, audience=auth.audience) for name in CLAIM_EXPLANATIONS},
        "namespaced": NAMESPACED_CLAIM,
        "unknown": UNKNOWN_CLAIM,
    }
    return templates.TemplateResponse(request, "decoder.html", {"explanations": explanations, "auth": auth})


@router.post("/decoder/checks", response_model=CheckReport, responses={400: {"model": NotAJwtBody}})
async def decoder_checks(body: TokenToCheck, auth: TokenVerifier) -> Any:
    """Run each check this API runs on an access token (signature against the tenant's JWKS, alg, exp, nbf, iss,
    aud), and say which passed: the token is neither stored nor logged."""
    try:
        checks = await check_token(auth, pasted_token(body.token))
    except NotAJwt as error:
        return JSONResponse({"detail": str(error)}, status_code=400)
    return report(checks, auth)
