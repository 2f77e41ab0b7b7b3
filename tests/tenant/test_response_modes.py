"""response_mode: form_post and web_message pages, fragment for codes, and what discovery says."""

import json
import re
from html import unescape

from fastapi.testclient import TestClient

from main import create_app
from tests.conftest import builtin_settings

from tests.tenant.conftest import SITE, SWAGGER_CALLBACK, code_params, fragment_of, pkce_pair, sign_in
from tests.tenant.test_authorize import redeem


def code_request(**overrides: str) -> tuple[dict, str]:
    """A code + PKCE request for Swagger UI's client, and its verifier."""
    verifier, challenge = pkce_pair()
    return code_params(code_challenge=challenge, code_challenge_method="S256", **overrides), verifier


def posted_message(html: str) -> tuple[str, dict]:
    """The target origin and the response a web_message page posts."""
    holder = re.search(r'data-target-origin="([^"]*)"\s+data-response="([^"]*)"', html)
    return unescape(holder.group(1)), json.loads(unescape(holder.group(2)))


def test_discovery_lists_the_response_modes(tenant):
    document = tenant.get("/.well-known/openid-configuration").json()
    assert document["response_modes_supported"] == ["query", "fragment", "form_post", "web_message"]


def test_web_message_posts_the_code_to_the_allowed_origin_only(tenant):
    params, verifier = code_request(response_mode="web_message")
    sign_in(tenant, code_request()[0], "alice@example.com", "alice-demo-1")
    page = tenant.get("/authorize", params=params)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and f"frame-ancestors {SITE}" in csp and "unsafe-inline" not in csp
    assert "x-frame-options" not in page.headers
    assert re.search(r"<script(?![^>]*\bsrc=)", page.text) is None, "no inline script"
    origin, response = posted_message(page.text)
    assert origin == SITE and response["state"] == "xyz"
    assert redeem(tenant, response["code"], verifier).status_code == 200


def test_web_message_error_for_prompt_none_without_a_session(tenant):
    params, _ = code_request(response_mode="web_message", prompt="none")
    origin, response = posted_message(tenant.get("/authorize", params=params).text)
    assert origin == SITE
    assert response == {"error": "login_required", "error_description": "Login required", "state": "xyz"}


def test_web_message_refuses_an_origin_that_is_not_allowed(tmp_path):
    other = "http://localhost:7777"
    settings = builtin_settings(tmp_path, tenant_extra_callback_urls=f"{other}/callback")
    with TestClient(create_app(settings), follow_redirects=False) as client:
        params, _ = code_request(response_mode="web_message", prompt="none", redirect_uri=f"{other}/callback")
        page = client.get("/authorize", params=params)
        assert page.status_code == 403 and "Allowed Web Origins" in page.text
        assert "authorization-response" not in page.text and "web-message.js" not in page.text


def test_form_post_page_posts_the_response_to_the_callback(tenant):
    params, verifier = code_request(response_mode="form_post")
    page = tenant.get("/authorize", params=params)
    assert "/u/login" in page.headers["location"]
    page = tenant.post("/u/login", data={"state": page.headers["location"].split("state=")[1],
                                                "username": "alice@example.com", "password": "alice-demo-1"})
    assert page.status_code == 200
    assert f'action="{SWAGGER_CALLBACK}"' in page.text
    assert f"form-action {SITE}" in page.headers["content-security-policy"]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    assert fields["state"] == "xyz" and redeem(tenant, fields["code"], verifier).status_code == 200
    assert "form-post.js" in page.text and re.search(r"<script(?![^>]*\bsrc=)", page.text) is None


def test_fragment_response_mode_for_a_code(tenant):
    params, verifier = code_request(response_mode="fragment")
    location = sign_in(tenant, params, "alice@example.com", "alice-demo-1")
    assert location.startswith(f"{SWAGGER_CALLBACK}#")
    assert redeem(tenant, fragment_of(location)["code"], verifier).status_code == 200


def test_unknown_response_mode_is_refused(tenant):
    params, _ = code_request(response_mode="jwt")
    location = tenant.get("/authorize", params=params).headers["location"]
    assert "error=invalid_request" in location and "response_mode" in location
