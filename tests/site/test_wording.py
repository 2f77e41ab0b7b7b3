"""What the steps say is right for this deployment and for Auth0: URLs, settings, links and facts a learner relies on."""

import re

from fastapi.testclient import TestClient

SITE = "http://testserver"
TENANT = f"{SITE}"


def prose(site: TestClient, slug: str) -> str:
    """The body of one step, as HTML."""
    page = site.get(f"/tutorials/{slug}").text
    return page[page.index('<div class="step-body prose">'):]


def text_of(html: str) -> str:
    """The words of some HTML, tags dropped and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_titles_and_summaries_show_inline_code_not_backticks(site: TestClient) -> None:
    for path in ("/", "/tutorials"):
        page = site.get(path).text
        assert "`" not in page[page.index("<main"):], path
    step = site.get("/tutorials/read-your-token").text
    assert "`" not in step[step.index("<main"):step.index('<div class="step-body prose">')]
    assert "checking <code>iss</code> and <code>aud</code>" in site.get("/tutorials").text
    head = site.get("/tutorials/read-your-token").text.split("</head>")[0]
    assert "checking iss and aud" in head and "<code>" not in head


def test_steps_three_to_six_show_this_deployments_tenant_and_name_its_setting(site: TestClient) -> None:
    for slug, setting in (("web-login-starlette", "TENANT_URL"), ("web-login-flask", "TENANT_URL"),
                          ("signup-and-token", "AUTH0_TOKEN_ISSUER"), ("protect-an-api", "AUTH0_DOMAIN")):
        words = text_of(prose(site, slug))
        assert re.search(re.escape(f"{setting}={TENANT}") + r"(?![\w/])", words), slug
        assert "TENANT_URL" in words, slug
    curl = text_of(prose(site, "protect-an-api"))
    assert f"curl -s -X POST {SITE}/auth/token" in curl and "localhost:8000/auth/token" not in curl


def test_step_two_gives_the_web_app_no_web_origins_and_skips_to_step_three(site: TestClient) -> None:
    body = prose(site, "set-up-a-tenant")
    web_app = body[body.index("Create the web application"):body.index("Create the application Swagger UI uses")]
    assert "<td>Allowed Web Origins</td>" not in web_app
    assert "Leave <strong>Allowed Web Origins</strong> empty" in web_app
    assert 'href="/tutorials/web-login-starlette">the first login</a>' in body


def test_step_eleven_points_up_to_the_action_and_says_when_namespaces_are_required(site: TestClient) -> None:
    page = site.get("/tutorials/custom-claims-with-actions").text
    assert "Action below" not in page and "Action above" in page
    words = text_of(prose(site, "custom-claims-with-actions"))
    assert "A namespace is required only in access tokens for Auth0's own APIs" in words


def test_the_password_grant_is_taught_with_what_the_standards_say(site: TestClient) -> None:
    for slug in ("what-auth0-does", "signup-and-token"):
        words = text_of(prose(site, slug))
        assert "RFC 9700" in words and "MUST NOT be used" in words and "OAuth 2.1" in words, slug


def test_step_six_names_auth0s_own_fastapi_sdks(site: TestClient) -> None:
    words = text_of(prose(site, "protect-an-api"))
    for fact in ("auth0-fastapi-api", "auth0-fastapi ", "beta", "17 September 2023", "require_auth"):
        assert fact in words, fact


def test_favicon_is_served_for_the_site_and_the_tenants_pages(site: TestClient) -> None:
    icon = site.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"
    login = site.get("/auth/login", follow_redirects=True)
    linked = re.search(r'<link rel="icon" href="([^"]+)"', login.text)
    assert linked and site.get(linked[1]).status_code == 200


def test_step_8_sends_the_learner_to_the_workbench_with_the_buttons_it_has(site: TestClient) -> None:
    words = text_of(prose(site, "read-your-token"))
    assert "Try the workbench" in words
    page = site.get("/decoder").text
    for button in ("Generate a key", "Sign", "Verify", "Send to /api/secure", "Use this tenant's JWKS"):
        assert button in words, button
        assert f">{button}</button>" in page, button
