"""The flow stepper: the authorization code + PKCE flow built, sent and answered one request at a time in the browser."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from errors.pages import error_response
from settings import API_SCOPES, Settings
from templating.environment import templates

router = APIRouter(tags=["flow stepper"], include_in_schema=False)

STEPPER_PATH = "/stepper"
LIMITED_PATHS = frozenset({STEPPER_PATH})
MAX_BODY_BYTES = 32 * 1024
# What an authorization response may carry (RFC 6749 4.1.2 and 4.2.2, OIDC Core 3.2.2.5); anything else is dropped.
RESPONSE_FIELDS = ("code", "state", "error", "error_description", "access_token", "id_token", "token_type",
                   "expires_in", "scope")
MAX_FIELD_LENGTH = 8192
MAX_FORM_FIELDS = 32
UNREADABLE_FORM = ("This address reads an authorization response posted by the tenant (response_mode=form_post): "
                   "an application/x-www-form-urlencoded form with fields such as code and state.")
DEFAULT_SCOPE = f"openid profile email offline_access {API_SCOPES.split()[0]}"


def stepper_client(settings: Settings) -> dict[str, object]:
    """The application the stepper speaks for: a single-page app when there is one, else the regular web app."""
    spa = settings.uses_builtin_tenant or settings.auth0_swagger_client_id is not None
    return {"client_id": settings.swagger_client_id if spa else settings.web_client_id,
            "kind": "spa" if spa else "regular_web"}


def stepper_setup(settings: Settings) -> dict[str, object]:
    """What the page starts from: the tenant, the application and this page's own address as redirect URI."""
    return {
        "tenant": settings.tenant_base_url,
        "issuer": settings.issuer,
        "builtin": settings.uses_builtin_tenant,
        "audience": settings.auth0_api_audience,
        "scope": DEFAULT_SCOPE,
        "redirect_uri": f"{settings.site_origin}{STEPPER_PATH}",
        **stepper_client(settings),
    }


def posted_response(form: FormData) -> dict[str, str]:
    """The authorization response fields of a form_post, each cut to a sane length."""
    return {name: str(form[name])[:MAX_FIELD_LENGTH] for name in RESPONSE_FIELDS
            if name in form and isinstance(form[name], str)}


def stepper_page(request: Request, posted: dict[str, str] | None = None) -> HTMLResponse:
    """The page, with the posted authorization response when there is one."""
    context = {"setup": stepper_setup(request.app.state.settings), "posted": posted}
    response = templates.TemplateResponse(request, "stepper.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get(STEPPER_PATH, response_class=HTMLResponse)
async def stepper(request: Request) -> HTMLResponse:
    """Build the /authorize request, send it, read the answer, then exchange, refresh, revoke and log out by hand."""
    return stepper_page(request)


@router.post(STEPPER_PATH, response_class=HTMLResponse)
async def stepper_form_post(request: Request) -> Response:
    """The same page, reading an authorization response the tenant posted (response_mode=form_post)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        return error_response(request, 400, "Not an authorization response", UNREADABLE_FORM)
    try:
        form = await request.form(max_fields=MAX_FORM_FIELDS, max_files=0)
    except HTTPException:  # too many fields, or a field too large
        return error_response(request, 400, "Not an authorization response", UNREADABLE_FORM)
    return stepper_page(request, posted_response(form))
