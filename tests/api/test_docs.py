"""Swagger UI at /docs: served by the site, sign-in pre-configured, and an OpenAPI document that teaches."""

import json
import re
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi.testclient import TestClient

SIGN_IN_SCHEMES = ("Auth0ImplicitBearer", "Auth0AuthorizationCodePKCE")


def swagger_config(html: str) -> dict:
    """The settings the page hands /static/docs.js."""
    return json.loads(re.search(r'<script type="application/json" id="swagger-ui-config">(.*?)</script>', html,
                                re.S).group(1))


def init_oauth_options(html: str) -> dict:
    """The object the page passes to ui.initOAuth."""
    return swagger_config(html)["initOAuth"]


def test_docs_page_loads_swagger_ui_from_the_site(site: TestClient) -> None:
    html = site.get("/docs").text
    assert "cdn." not in html and "https://" not in html.split("<script>")[0]
    for asset in re.findall(r'(?:src|href)="(/static/swagger-ui/[^"]+)"', html):
        assert site.get(asset).status_code == 200
    assert "/static/swagger-ui/swagger-ui-bundle.js" in html
    assert swagger_config(html)["oauth2RedirectPath"] == "/docs/oauth2-redirect"


def test_init_oauth_is_passed_on(site: TestClient) -> None:
    options = init_oauth_options(site.get("/docs").text)
    assert options["clientId"] == "swagger-ui"
    assert options["usePkceWithAuthorizationCodeGrant"] is True
    assert "read:messages" in options["scopes"].split()
    assert "additionalQueryStringParams" not in options  # the audience is in the authorization URL


def test_oauth2_redirect_page_is_served_locally(site: TestClient) -> None:
    response = site.get("/docs/oauth2-redirect")
    assert response.status_code == 200
    assert '<script src="/static/swagger-ui/oauth2-redirect.js">' in response.text
    assert "swaggerUIRedirectOauth2" in site.get("/static/swagger-ui/oauth2-redirect.js").text


def test_openapi_offers_pkce_recommended_and_implicit_legacy(site: TestClient) -> None:
    schemes = site.get("/openapi.json").json()["components"]["securitySchemes"]
    implicit = schemes["Auth0ImplicitBearer"]
    pkce = schemes["Auth0AuthorizationCodePKCE"]
    assert implicit["description"].startswith("Legacy")
    assert pkce["description"].startswith("Recommended")
    assert implicit["flows"]["implicit"]["authorizationUrl"] == (
        "http://testserver/authorize?audience=https%3A%2F%2Fplayground%2Fapi")
    assert pkce["flows"]["authorizationCode"]["tokenUrl"] == "http://testserver/oauth/token"
    assert {"openid", "read:messages", "admin:messages"} <= set(pkce["flows"]["authorizationCode"]["scopes"])


def test_each_protected_operation_shows_its_lock_and_scopes(site: TestClient) -> None:
    paths = site.get("/openapi.json").json()["paths"]
    expected = {"/api/secure": [], "/api/scoped": ["read:messages"], "/api/admin": ["admin:messages"],
                "/api/claims": []}
    for path, scopes in expected.items():
        security = paths[path]["get"]["security"]
        for scheme in SIGN_IN_SCHEMES:
            assert {scheme: scopes} in security, (path, security)
    assert "security" not in paths["/api/public"]["get"]


def test_descriptions_link_to_tutorials_and_logout(site: TestClient) -> None:
    document = site.get("/openapi.json").json()
    assert "[/auth/logout](/auth/logout?returnTo=/docs)" in document["info"]["description"]
    for path in ("/api/public", "/api/secure", "/api/scoped", "/api/admin", "/api/claims"):
        assert "](/tutorials/" in document["paths"][path]["get"]["description"]
    slugs = set(re.findall(r"\(/tutorials/([a-z0-9-]+)\)", json.dumps(document)))
    assert slugs == {"protect-an-api", "swagger-sign-in", "read-your-token", "permissions-vs-scopes",
                     "machine-to-machine", "step-up"}


def test_refusals_are_documented(site: TestClient) -> None:
    responses = site.get("/openapi.json").json()["paths"]["/api/scoped"]["get"]["responses"]
    assert {"200", "401", "403", "503"} <= set(responses)


def test_the_audience_travels_once_in_the_authorization_url(site: TestClient) -> None:
    extra = init_oauth_options(site.get("/docs").text).get("additionalQueryStringParams", {})
    schemes = site.get("/openapi.json").json()["components"]["securitySchemes"]
    for flow in (schemes["Auth0ImplicitBearer"]["flows"]["implicit"],
                 schemes["Auth0AuthorizationCodePKCE"]["flows"]["authorizationCode"]):
        # What Swagger UI sends: the scheme's URL, then initOAuth's extra parameters.
        sent = parse_qs(urlsplit(f"{flow['authorizationUrl']}&{urlencode(extra)}").query)
        assert sent["audience"] == ["https://playground/api"]


def test_the_authorize_dialog_lists_pkce_before_implicit(site: TestClient) -> None:
    names = list(site.get("/openapi.json").json()["components"]["securitySchemes"])
    assert names.index("Auth0AuthorizationCodePKCE") < names.index("Auth0ImplicitBearer")
