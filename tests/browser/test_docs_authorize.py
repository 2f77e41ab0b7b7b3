"""The Authorize dialog at /docs asks the public client for no secret, and a Swagger sign-in shows in the progress."""

from playwright.sync_api import Page, expect

from tests.browser.test_swagger_sign_in import PKCE, sign_in_from_swagger


def test_the_pkce_sign_in_has_no_client_secret_box(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/docs")
    page.locator(".swagger-ui .auth-wrapper .btn.authorize").click()
    section = page.locator(".modal-ux .auth-container").filter(has_text=PKCE)
    expect(section.locator("input[data-name=clientId]")).to_be_visible()
    assert section.locator("input[data-name=clientSecret]").count() == 1  # Swagger renders it; the site hides it
    expect(section.locator("input[data-name=clientSecret]")).to_be_hidden()
    expect(section.get_by_text("client_secret:")).to_be_hidden()
    expect(section.get_by_text("sends no client secret")).to_be_visible()


def test_a_swagger_sign_in_ticks_signed_in_through_the_tenant(page: Page, live_server: str) -> None:
    sign_in_from_swagger(page, live_server, PKCE, "alice")
    progress = page.evaluate("fetch('/progress').then((response) => response.json())")
    done = {milestone["key"] for milestone in progress["milestones"] if milestone["done"]}
    assert "signed-in" in done
