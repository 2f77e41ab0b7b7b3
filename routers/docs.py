"""Swagger UI at /docs, served from the site's own copy, with sign-in through the tenant pre-configured."""

import json
from html import escape
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import swagger_ui_default_parameters
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse

from settings import Settings
from templating.page_context import DEMO_NOTICE_TEXT
from tokens.verification import PKCE_DESCRIPTION

ASSETS_URL = "/static/swagger-ui"
SITE_CSS_URL = "/static/swagger-playground.css"
REDIRECT_PATH = "/docs/oauth2-redirect"
RECORDER_URL = "/static/swagger-record.js"
PRESELECTED_SCOPES = ["openid", "profile", "email", "read:messages"]
IMPLICIT_SCHEME = "Auth0ImplicitBearer"
PKCE_SCHEME = "Auth0AuthorizationCodePKCE"

DESCRIPTION = """\
{notice}The live API of the Auth0 Playground: every call below really goes through the token checks of
[fastapi-auth0](https://github.com/dorinclisu/fastapi-auth0), against the tenant `{tenant}`.

**Sign in:** press **Authorize**. *Auth0AuthorizationCodePKCE* (authorization code with PKCE) is the recommended
flow; *Auth0ImplicitBearer* is the legacy implicit flow, shown because many Swagger set-ups still use it.
Swagger UI is the client `{client_id}`, asks for the audience `{audience}`, and has the scopes
`{scopes}` ticked. {users}

**Sign out:** Swagger's *Logout* only forgets the token on this page; you stay signed in at the tenant. To sign in as
someone else, first end the tenant session at [/auth/logout](/auth/logout?returnTo=/docs), which brings you
back here.

A refused call says why: `401` with `WWW-Authenticate: Bearer error="invalid_token"` when the token is missing or
cannot be trusted, `403` with `error="insufficient_scope"` when it lacks a scope or permission, `503` when the
tenant's keys cannot be fetched. Steps: [Protect an API](/tutorials/protect-an-api),
[Sign in from Swagger UI](/tutorials/swagger-sign-in), [Read your token](/tutorials/read-your-token).
"""
BUILTIN_USERS = "Demo users: {users}; their passwords are on the login page."

# swagger-ui-dist's own redirect page, pointing at the copy served under /static.
REDIRECT_PAGE = f"""<!doctype html>
<html lang="en-US">
<head><title>Swagger UI: signing in</title></head>
<body>
<script src="{ASSETS_URL}/oauth2-redirect.js"></script>
</body>
</html>
"""

# Swagger UI's page: its settings travel as JSON data, read by /static/docs.js (the site's CSP runs no inline script).
SWAGGER_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link type="text/css" rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{site_css}">
<title>{title}</title>
<!-- The flow inspector's recorder loads first, before Swagger UI can open a sign-in. -->
<script src="{recorder}"></script>
</head>
<body>
<div id="swagger-ui"></div>
<script type="application/json" id="swagger-ui-config">{config}</script>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body>
</html>
"""

router = APIRouter(include_in_schema=False)


def script_safe_json(value: object) -> str:
    """JSON that cannot end the <script> element holding it."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def init_oauth(settings: Settings) -> dict[str, Any]:
    """Swagger UI's `initOAuth` options: client, PKCE and ticked scopes (the audience is in the authorization URL)."""
    return {
        "clientId": settings.swagger_client_id,
        "appName": "Auth0 Playground",
        "usePkceWithAuthorizationCodeGrant": True,
        "scopes": " ".join(PRESELECTED_SCOPES),
    }


@router.get("/docs", response_class=HTMLResponse)
async def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI, from the site's own copy, with init_oauth passed on."""
    app: FastAPI = request.app
    config = {
        "url": app.openapi_url or "/openapi.json",
        **swagger_ui_default_parameters, **(app.swagger_ui_parameters or {}),
        "oauth2RedirectPath": app.swagger_ui_oauth2_redirect_url,
        "initOAuth": app.swagger_ui_init_oauth,
    }
    return HTMLResponse(SWAGGER_PAGE.format(assets=ASSETS_URL, title=escape(f"{app.title}: live API"),
                                            site_css=SITE_CSS_URL, recorder=RECORDER_URL,
                                            config=script_safe_json(config)))


@router.get(REDIRECT_PATH, response_class=HTMLResponse)
async def oauth2_redirect() -> HTMLResponse:
    """Where the tenant sends Swagger UI's sign-in popup back to."""
    return HTMLResponse(REDIRECT_PAGE)


def openapi_schema(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, offering PKCE before the implicit flow, each with the operation's scopes."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, openapi_version=app.openapi_version,
                             description=app.description, routes=app.routes)
        # The API's operations name their schemes in openapi_extra (one dependency each, not three); these are they.
        verifier = getattr(app.state, "token_verifier", None)
        if verifier is not None:
            schema.setdefault("components", {}).setdefault("securitySchemes", {}).update(verifier.security_schemes())
        schemes = schema.get("components", {}).get("securitySchemes", {})
        if IMPLICIT_SCHEME in schemes:
            # First in the list, so that Swagger's Authorize dialog shows the recommended flow first.
            schema["components"]["securitySchemes"] = {
                PKCE_SCHEME: pkce_scheme(schemes[IMPLICIT_SCHEME], app.state.settings), **schemes}
            for path in schema.get("paths", {}).values():
                for operation in path.values():
                    if isinstance(operation, dict) and operation.get("security"):
                        operation["security"] = sign_in_requirements(operation["security"])
        app.openapi_schema = schema
    return app.openapi_schema


def pkce_scheme(implicit: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """Authorization code + PKCE at the same tenant, audience and scopes as fastapi-auth0's implicit scheme."""
    flow = implicit["flows"]["implicit"]
    code_flow = {"authorizationUrl": flow["authorizationUrl"], "tokenUrl": f"{settings.tenant_base_url}/oauth/token",
                 "scopes": flow["scopes"]}
    return {"type": "oauth2", "description": PKCE_DESCRIPTION, "flows": {"authorizationCode": code_flow}}


def sign_in_requirements(requirements: list[dict[str, list[str]]]) -> list[dict[str, list[str]]]:
    """PKCE first, then implicit, then a pasted token; the operation's scopes under each sign-in flow."""
    names = {name for requirement in requirements for name in requirement}
    if IMPLICIT_SCHEME not in names:
        return requirements
    scopes = sorted({scope for requirement in requirements for listed in requirement.values() for scope in listed})
    sign_in = [{PKCE_SCHEME: scopes}, {IMPLICIT_SCHEME: scopes}]
    return sign_in + [requirement for requirement in requirements if IMPLICIT_SCHEME not in requirement]


def builtin_users(contents: Any) -> str:
    """The demo users and what each holds, from the tenant's contents (main.py puts them on app.state)."""
    holds = (f"`{user.email}` ({', '.join(user.permissions) or 'no permissions'})" for user in contents.users)
    return BUILTIN_USERS.format(users=", ".join(holds))


def install(app: FastAPI) -> None:
    """Serve /docs and /docs/oauth2-redirect, and describe the API's sign-in in the OpenAPI document."""
    settings: Settings = app.state.settings
    users = builtin_users(app.state.tenant_contents) if settings.uses_builtin_tenant else ""
    notice = f"> {DEMO_NOTICE_TEXT}\n\n" if settings.uses_builtin_tenant else ""
    app.description = DESCRIPTION.format(tenant=settings.tenant_domain, client_id=settings.swagger_client_id,
                                         audience=settings.auth0_api_audience, scopes=" ".join(PRESELECTED_SCOPES),
                                         users=users, notice=notice)
    app.swagger_ui_oauth2_redirect_url = REDIRECT_PATH
    app.swagger_ui_init_oauth = init_oauth(settings)
    app.openapi = lambda: openapi_schema(app)  # type: ignore[method-assign]
    app.include_router(router)
