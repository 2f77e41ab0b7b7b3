"""A workshop attendee walks the tutorial in a browser, from step 1 to the Swagger sign-in, pressing every Try it."""

import json
import re
import uuid

from playwright.sync_api import Locator, Page, expect

from tests.browser.tenant_login import sign_in_on_tenant_page

PANEL_TIMEOUT_MS = 10_000


def press(page: Page, panel_id: str) -> Locator:
    """Press a Try-it panel's button and wait for the status line; return the panel."""
    panel = page.locator(f"#try-{panel_id}")
    panel.locator("[data-try-send]").click()
    expect(panel.locator("[data-try-status]")).to_be_visible(timeout=PANEL_TIMEOUT_MS)
    return panel


def status_of(panel: Locator) -> int:
    """The HTTP status the panel shows."""
    return int(panel.locator("[data-try-status]").inner_text().split()[0])


def body_of(panel: Locator) -> dict:
    """The JSON body the panel shows."""
    return json.loads(panel.locator("[data-try-body]").inner_text())


def next_step(page: Page, slug: str) -> None:
    """Follow the page's "Next" link to the step `slug`."""
    page.locator(".step-nav-next").click()
    expect(page).to_have_url(re.compile(rf"/tutorials/{slug}$"))


def milestone(page: Page, key: str) -> Locator:
    """One milestone of the progress strip."""
    return page.locator(f'[data-progress] [data-milestone="{key}"]')


def test_attendee_walks_from_step_one_to_swagger_sign_in(page: Page, live_server: str) -> None:
    issuer = f"{live_server}/"

    page.goto(f"{live_server}/tutorials/what-auth0-does")
    expect(page.locator("[data-progress-count]")).to_have_text("0 of 10 done")
    assert body_of(press(page, "discovery"))["issuer"] == issuer
    public = press(page, "public")
    assert status_of(public) == 200 and "no token" in body_of(public)["message"]

    next_step(page, "set-up-a-tenant")
    discovery = press(page, "discovery")
    assert status_of(discovery) == 200 and body_of(discovery)["jwks_uri"] == f"{issuer}.well-known/jwks.json"

    next_step(page, "web-login-starlette")
    expect(milestone(page, "signed-in")).not_to_have_class("done")
    page.locator(".step-body").get_by_role("link", name="log in").first.click()
    sign_in_on_tenant_page(page, "alice@example.com", "alice-demo-1")
    expect(page).to_have_url(f"{live_server}/tutorials/web-login-starlette")
    expect(milestone(page, "signed-in")).to_have_class("done")
    expect(page.locator(".site-nav")).to_contain_text("Log out")

    next_step(page, "web-login-flask")
    expect(page.locator(".code-include .code-path", has_text="tutorials/web_login_flask/templates/profile.html"))\
        .to_be_visible()

    next_step(page, "signup-and-token")
    signup = page.locator("#try-signup")
    signup.locator('textarea[name="body"]').fill(json.dumps(
        {"email": f"attendee-{uuid.uuid4().hex[:8]}@example.com", "password": "Workshop-pass-1"}))
    assert (status_of(press(page, "signup")), body_of(signup)) == (201, {"message": "User Created"})
    assert status_of(press(page, "signup")) == 400
    expect(signup.locator("[data-try-reason]")).to_contain_text("already exists")
    token = press(page, "token")
    assert status_of(token) == 200
    claims = json.loads(token.locator("[data-try-jwt-claims]").first.inner_text())
    assert claims["iss"] == issuer and "read:messages" in claims["scope"].split()
    expect(token.locator(".try-saved")).to_be_visible()
    expect(milestone(page, "password-token")).to_have_class("done")

    next_step(page, "protect-an-api")
    assert status_of(press(page, "public")) == 200
    assert status_of(press(page, "alice-token")) == 200
    assert status_of(press(page, "secure")) == 200
    scoped = press(page, "scoped")
    assert status_of(scoped) == 200 and body_of(scoped)["message"].startswith("Your token carries")
    expect(milestone(page, "scoped")).to_have_class("done")
    assert status_of(press(page, "bob-token")) == 200
    refused = press(page, "scoped-as-bob")
    assert status_of(refused) == 403
    expect(refused.locator("[data-try-reason]")).to_contain_text('error="insufficient_scope"')
    secure = page.locator("#try-secure")
    secure.locator('textarea[name="token"]').fill("")
    press(page, "secure")
    assert status_of(secure) == 401
    expect(secure.locator("[data-try-reason]")).to_contain_text("No access token")

    next_step(page, "swagger-sign-in")
    schemes = body_of(press(page, "openapi"))["components"]["securitySchemes"]
    assert "authorizationCode" in schemes["Auth0AuthorizationCodePKCE"]["flows"]
    assert "implicit" in schemes["Auth0ImplicitBearer"]["flows"]
    expect(milestone(page, "swagger")).not_to_have_class("done")

    page.locator(".step-body").get_by_role("link", name="the API docs").click()
    expect(page).to_have_url(f"{live_server}/docs")
    page.locator(".swagger-ui .auth-wrapper .btn.authorize").click()
    pkce = page.locator(".modal-ux .auth-container").filter(has_text="Auth0AuthorizationCodePKCE")
    expect(pkce.locator("input[data-name=clientId]")).to_have_value("swagger-ui")
    with page.expect_popup():
        pkce.locator("button.modal-btn.authorize").click()
    # Still signed in at the tenant since step 3: the popup comes back with a code without asking for a password.
    expect(pkce.locator("button.modal-btn", has_text="Logout")).to_be_visible()
    page.locator(".modal-ux .close-modal").click()
    operation = page.locator("#operations-api-get_scoped_api_scoped_get")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    response = operation.locator(".live-responses-table tbody .response")
    expect(response).to_be_visible()
    assert response.locator(".response-col_status").inner_text().strip() == "200"
    swagger_token = re.search(r"Bearer ([\w-]+\.[\w-]+\.[\w-]+)", operation.locator(".curl-command").inner_text())[1]

    page.goto(f"{live_server}/tutorials/swagger-sign-in")
    expect(milestone(page, "swagger")).to_have_class("done")
    page.locator('#try-swagger-token textarea[name="token"]').fill(swagger_token)
    pasted = press(page, "swagger-token")
    assert status_of(pasted) == 200
    assert json.loads(pasted.locator("[data-try-jwt-claims]").first.inner_text())["azp"] == "swagger-ui"
    for key in ("signed-in", "signed-up", "password-token", "secure", "scoped", "swagger"):
        expect(milestone(page, key)).to_have_class("done")
    expect(page.locator("[data-progress-count]")).to_have_text("6 of 10 done")
