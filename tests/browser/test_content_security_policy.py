"""The site's CSP is really enforced in Chromium, and the shared `page` fixture reports what it blocks."""

from tests.conftest import REPORT_CSP_VIOLATIONS


def test_an_injected_inline_script_is_blocked_and_reported(browser, live_server):
    context = browser.new_context()
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    reported: list[str] = []
    context.on("console", lambda message: reported.append(message.text))
    page = context.new_page()
    page.goto(f"{live_server}/tutorials")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.injected = true";
        document.body.append(script);
    }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected") is None
    context.close()
    assert any("Content Security Policy" in text for text in reported), reported


def test_swagger_ui_renders_under_the_policy(page, live_server):
    page.goto(f"{live_server}/docs")
    page.locator(".opblock-summary-path", has_text="/api/claims").first.wait_for()
    assert page.locator("button.authorize").is_visible()
