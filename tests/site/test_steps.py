"""Every step renders in the site's layout, in order, with its neighbours linked."""

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from main import create_app
from settings import Settings
from tutorial_engine.site import load_site_tutorial

STEP_SLUGS = [
    "what-auth0-does", "set-up-a-tenant", "web-login-starlette", "web-login-flask", "signup-and-token",
    "protect-an-api", "swagger-sign-in", "read-your-token", "permissions-vs-scopes", "machine-to-machine",
    "custom-claims-with-actions", "log-out-everywhere", "log-in-a-command-line-tool", "deploy", "auth0-fastapi-sdks",
    "call-the-management-api", "roles-and-permissions", "debug-a-failed-login",
    "add-mfa", "step-up",
    "write-test-and-deploy-an-action",
]
DEMO_CREDENTIALS = [("alice@example.com", "alice-demo-1"), ("bob@example.com", "bob-demo-1"),
                    ("admin@example.com", "admin-demo-1")]


def test_steps_are_the_published_slugs_in_order(site: TestClient) -> None:
    assert [step.slug for step in site.app.state.tutorial.steps] == STEP_SLUGS


@pytest.mark.parametrize("slug", STEP_SLUGS)
def test_step_renders_with_title_and_neighbours(site: TestClient, slug: str) -> None:
    step = site.app.state.tutorial.get(slug)
    response = site.get(f"/tutorials/{slug}")
    assert response.status_code == 200
    assert f'<h1 id="step-title">{escape(step.title)}</h1>' in response.text
    index = STEP_SLUGS.index(slug)
    previous_link = re.search(r'rel="prev" href="/tutorials/([\w-]+)"', response.text)
    next_link = re.search(r'rel="next" href="/tutorials/([\w-]+)"', response.text)
    assert (previous_link and previous_link[1]) == (STEP_SLUGS[index - 1] if index > 0 else None)
    assert (next_link and next_link[1]) == (STEP_SLUGS[index + 1] if index + 1 < len(STEP_SLUGS) else None)


def test_tutorial_index_lists_every_step_in_order(site: TestClient) -> None:
    page = site.get("/tutorials").text
    positions = [page.index(f'href="/tutorials/{slug}"') for slug in STEP_SLUGS]
    assert positions == sorted(positions)


def test_step_with_headings_has_anchors_and_table_of_contents(site: TestClient) -> None:
    page = site.get("/tutorials/read-your-token").text
    assert '<nav class="toc"' in page
    assert 'href="#verify-before-you-trust"' in page
    assert '<h2 id="verify-before-you-trust">' in page


def test_unknown_step_is_the_404_page(site: TestClient) -> None:
    response = site.get("/tutorials/no-such-step")
    assert response.status_code == 404
    assert "Step not found" in response.text
    assert 'href="/tutorials"' in response.text


def test_unknown_page_is_html_for_browsers_and_json_for_api_clients(site: TestClient) -> None:
    page = site.get("/no-such-page", headers={"accept": "text/html"})
    assert page.status_code == 404 and "Page not found" in page.text
    api = site.get("/no-such-page", headers={"accept": "application/json"})
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_home_names_the_builtin_tenant_and_its_demo_users(site: TestClient) -> None:
    page = site.get("/").text
    assert "built-in demo tenant at <code>http://testserver/</code>" in page
    for email, password in DEMO_CREDENTIALS:
        assert email in page and password in page
    for link in ('href="/auth/login"', 'href="/tutorials"', 'href="/docs"'):
        assert link in page


def test_layout_navigation_is_on_every_page(site: TestClient) -> None:
    for path in ("/", "/tutorials", "/tutorials/deploy"):
        page = site.get(path).text
        for link in ('href="/"', 'href="/tutorials"', 'href="/docs"', 'href="/profile"', 'href="/auth/login"'):
            assert link in page, (path, link)


def test_set_up_step_shows_this_deployments_urls_with_copy_buttons(site: TestClient) -> None:
    page = site.get("/tutorials/set-up-a-tenant").text
    for value in ("http://testserver/auth/callback", "http://testserver/docs/oauth2-redirect"):
        assert f'<code class="copy">{value}</code>' in page
    assert '<code class="copy">http://testserver</code>' in page


def test_real_tenant_deployment_shows_its_domain_and_urls(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None, data_dir=tmp_path, public_url="https://playground.example.org",
        auth0_domain="my-team.eu.auth0.com", auth0_client_id="client", auth0_client_secret="secret",
        session_secret="s" * 32,
    )
    with TestClient(create_app(settings)) as client:
        home = client.get("/").text
        setup = client.get("/tutorials/set-up-a-tenant").text
    assert "Tenant: <code>my-team.eu.auth0.com</code>" in home
    assert "alice-demo-1" not in home
    assert '<code class="copy">https://playground.example.org/auth/callback</code>' in setup


def test_steps_are_rendered_once(site: TestClient) -> None:
    before = site.app.state.tutorial.get("deploy")
    site.get("/tutorials/deploy")
    assert site.app.state.tutorial.get("deploy") is before
    assert load_site_tutorial(site.app.state.settings).get("deploy").html == before.html
