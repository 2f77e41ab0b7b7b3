"""Web login against an Auth0 tenant (faked in-process): the authorize request, the callback, profile and logout."""

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

from tests.accounts.fake_tenant import AUDIENCE, CLIENT_ID, TENANT_DOMAIN


def start_login(client, provider, return_to: str = "/profile") -> dict[str, str]:
    """GET /auth/login; the query of the authorize URL it redirects to."""
    response = client.get("/auth/login", params={"returnTo": return_to})
    assert response.status_code == 302
    assert response.headers["location"].startswith(f"https://{TENANT_DOMAIN}/authorize?")
    return provider.remember_nonce(response.headers["location"])


def test_authorize_request_uses_code_pkce_state_nonce_and_audience(auth0_site, provider):
    query = start_login(auth0_site, provider)
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://testserver/auth/callback"
    assert query["scope"] == "openid profile email read:messages admin:messages read:room"
    assert query["audience"] == AUDIENCE
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 20 and len(query["nonce"]) >= 20


def test_code_verifier_matches_the_challenge(auth0_site, provider):
    query = start_login(auth0_site, provider)
    auth0_site.get("/auth/callback", params={"code": "the-code", "state": query["state"]})
    form = {key: values[0] for key, values in parse_qs(provider.token_requests[0].content.decode()).items()}
    digest = hashlib.sha256(form["code_verifier"].encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == query["code_challenge"]
    assert form["grant_type"] == "authorization_code"
    assert form["code"] == "the-code"
    assert form["redirect_uri"] == "http://testserver/auth/callback"


def test_session_cookie_is_httponly_and_lax(auth0_site, provider):
    response = auth0_site.get("/auth/login")
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("playground_session=")
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # the origin is http://testserver


def test_callback_signs_in_and_returns_to_the_page_asked_for(auth0_site, provider):
    query = start_login(auth0_site, provider, return_to="/tutorials?from=login")
    response = auth0_site.get("/auth/callback", params={"code": "the-code", "state": query["state"]})
    assert response.status_code == 303
    assert response.headers["location"] == "/tutorials?from=login"
    profile = auth0_site.get("/profile")
    assert profile.status_code == 200
    assert "Carol Example" in profile.text
    assert "carol@example.com" in profile.text
    assert "https://example.com/carol.png" in profile.text
    assert "&#34;nonce&#34;" in profile.text or '"nonce"' in profile.text
    assert "read:messages" in profile.text and AUDIENCE in profile.text


def test_callback_state_is_single_use(auth0_site, provider):
    query = start_login(auth0_site, provider)
    auth0_site.get("/auth/callback", params={"code": "the-code", "state": query["state"]})
    replay = auth0_site.get("/auth/callback", params={"code": "the-code", "state": query["state"]})
    assert replay.status_code == 400
    assert "mismatching_state" in replay.text


def test_logout_clears_the_session_then_the_tenants(auth0_site, provider):
    query = start_login(auth0_site, provider)
    auth0_site.get("/auth/callback", params={"code": "the-code", "state": query["state"]})
    response = auth0_site.get("/auth/logout")
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"https://{TENANT_DOMAIN}/v2/logout"
    assert parse_qs(location.query) == {"returnTo": ["http://testserver"], "client_id": [CLIENT_ID]}
    assert auth0_site.get("/profile").status_code == 303


def test_profile_sends_a_signed_out_visitor_to_log_in_and_back(auth0_site):
    response = auth0_site.get("/profile")
    assert response.status_code == 303
    assert response.headers["location"] == "/auth/login?returnTo=%2Fprofile"


def test_opaque_access_token_is_explained(auth0_site, provider):
    signed = provider.token

    def opaque_token(request):
        reply = signed(request).json()
        return type(signed(request))(200, json=reply | {"access_token": "opaque-token-value"})

    provider.routes["/oauth/token"] = opaque_token
    query = start_login(auth0_site, provider)
    auth0_site.get("/auth/callback", params={"code": "the-code", "state": query["state"]})
    assert "opaque" in auth0_site.get("/profile").text
