"""Whatever a client sends to any endpoint of the site or its tenant, the answer is never a 5xx.

Hypothesis throws hostile input at every route: quotes, backslashes, control and non-ASCII characters, lone
surrogates, JSON nested thousands deep (in bodies and in a bearer token's header), unreadable bytes and headers.
"""

import base64
import json
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from main import create_app
from tests.conftest import builtin_settings

API = "https://playground/api"
DEEP_JSON = "[" * 3000
# A request that gets far into any endpoint; each example then spoils, drops or adds a few parameters.
PLAUSIBLE_REQUEST = {
    "client_id": "web-app", "client_secret": "web-app-secret", "grant_type": "password", "response_type": "code",
    "redirect_uri": "http://testserver/auth/callback", "scope": "openid profile read:messages", "audience": API,
    "state": "xyz", "nonce": "n-0S6", "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    "code_challenge_method": "S256", "username": "alice@example.com", "password": "alice-demo-1",
    "realm": "Username-Password-Authentication", "email": "alice@example.com",
    "connection": "Username-Password-Authentication",
}
PARAMETER_NAMES = (
    *PLAUSIBLE_REQUEST, "prompt", "response_mode", "code", "code_verifier", "refresh_token", "ticket", "returnTo",
    "token", "screen_hint", "error", "error_description", "action", "acr_values", "mfa_token", "otp", "recovery_code",
    "challenge_type", "authenticator_types",
)
PLAUSIBLE_VALUES = (
    "web-app", "web-app-secret", "swagger-ui", "m2m", "password", "refresh_token", "authorization_code",
    "client_credentials", "http://auth0.com/oauth/grant-type/password-realm", "code", "token", "id_token token",
    "alice@example.com", "alice-demo-1", API, "Username-Password-Authentication", "openid profile read:messages",
    "http://testserver/auth/callback", "http://testserver/docs/oauth2-redirect", "none", "S256", "form_post", "accept", "deny",
    "http://auth0.com/oauth/grant-type/mfa-otp", "http://auth0.com/oauth/grant-type/mfa-recovery-code", "otp", "123456",
    "http://schemas.openid.net/pape/policies/2007/06/multi-factor",
)
HOSTILE_VALUES = ('"', "\\", "€", "\x00", "\x1b[31m", "\ud800", "\r\n", "%", "a" * 5000, DEEP_JSON, "\udfff\ud800")


def text_with_anything() -> st.SearchStrategy[str]:
    """Any characters, surrogates and controls included."""
    return st.text(st.characters(blacklist_categories=()), max_size=24)


def values() -> st.SearchStrategy[str]:
    """A parameter value: plausible, known-hostile, or anything."""
    return st.one_of(st.sampled_from(PLAUSIBLE_VALUES), st.sampled_from(HOSTILE_VALUES), text_with_anything())


def header_text() -> st.SearchStrategy[str]:
    """A value a header can carry (latin-1, no line breaks)."""
    return st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters="\x7f"), max_size=40)


def b64url(text: str) -> str:
    """base64url without padding, as in a compact JWT."""
    return base64.urlsafe_b64encode(text.encode("utf-8", "surrogatepass")).decode().rstrip("=")


def bearer_tokens() -> st.SearchStrategy[str]:
    """Tokens whose header or claims are hostile JSON, or not JSON at all."""
    segment = st.one_of(st.just(DEEP_JSON), st.just('{"alg":"RS256","kid":"' + "[" * 2000 + '"}'),
                        values().map(json.dumps), values())
    return st.builds(lambda header, claims, tail: f"{b64url(header)}.{b64url(claims)}.{tail}",
                     segment, segment, header_text())


def percent_encoded(params: dict[str, str]) -> str:
    """A query string or form body; lone surrogates become the invalid UTF-8 bytes an attacker would send."""
    return urlencode(params, quote_via=lambda value, *_: quote(value, safe="", errors="surrogatepass"))


@st.composite
def parameters(draw: st.DrawFn) -> dict[str, str]:
    """The plausible request with a few parameters spoiled, dropped or added."""
    params = dict(PLAUSIBLE_REQUEST)
    params.update(draw(st.dictionaries(st.sampled_from(PARAMETER_NAMES), values(), max_size=4)))
    for name in draw(st.sets(st.sampled_from(PARAMETER_NAMES), max_size=4)):
        params.pop(name, None)
    return params


ENCODINGS = ("form", "json", "deep-json", "bytes")


def encoded(params: dict[str, str], encoding: str, raw: bytes, content_type: str) -> tuple[bytes, str]:
    """A request body holding `params` (or hostile bytes), and its content type."""
    if encoding == "form":
        return percent_encoded(params).encode(), "application/x-www-form-urlencoded"
    if encoding == "json":
        return json.dumps(params).encode(), "application/json"  # ensure_ascii: surrogates become \ud800 escapes
    if encoding == "deep-json":
        return ('{"password": ' + DEEP_JSON).encode(), "application/json"
    return raw, content_type


@st.composite
def headers(draw: st.DrawFn) -> dict[str, bytes]:
    """Headers a browser, an API client or a prober might send."""
    chosen = {}
    if draw(st.booleans()):
        chosen["authorization"] = "Bearer " + draw(st.one_of(bearer_tokens(), header_text()))
    if draw(st.booleans()):
        chosen["sec-fetch-site"] = "same-origin"
    if draw(st.booleans()):
        chosen["accept"] = "text/html"
    if draw(st.booleans()):
        chosen["x-forwarded-for"] = draw(header_text())
    if draw(st.booleans()):
        chosen["cookie"] = f"auth0_browser={quote(draw(header_text()))}; auth0={quote(draw(header_text()))}"
    return {name: value.encode("latin-1") for name, value in chosen.items()}


def routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every endpoint of the site and of the tenant mounted in it."""

    def walk(entries: list, prefix: str) -> Iterator[tuple[str, str]]:
        for route in entries:
            if hasattr(route, "original_router"):  # a router included by FastAPI
                yield from walk(route.original_router.routes, prefix)
            elif getattr(route, "methods", None):
                yield from ((method, prefix + route.path) for method in sorted(route.methods - {"HEAD"}))
            elif getattr(route, "routes", None):  # a mounted app: the tenant
                yield from walk(route.routes, prefix + route.path)

    return sorted(set(walk(app.router.routes, "")))


APP = create_app(builtin_settings(__import__("tempfile").mkdtemp(prefix="no-server-errors-")))
ROUTES = routes(APP)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The site in-process, reporting server errors as 500 answers rather than raising them."""
    with TestClient(APP, raise_server_exceptions=False, follow_redirects=False) as test_client:
        yield test_client


def test_every_endpoint_is_covered():
    assert {("POST", "/auth/token"), ("POST", "/oauth/token"), ("GET", "/api/claims"),
            ("GET", "/authorize"), ("POST", "/u/login"), ("GET", "/healthz")} <= set(ROUTES)
    assert len(ROUTES) >= 30


DEEP_TOKEN = f"{b64url(DEEP_JSON)}.{b64url(DEEP_JSON)}.x"
# The probe's findings, replayed at every endpoint before the generated examples.
FOUND = (
    {**PLAUSIBLE_REQUEST, "redirect_uri": '"'},
    {**PLAUSIBLE_REQUEST, "redirect_uri": "\\", "response_type": "token"},
    {**PLAUSIBLE_REQUEST, "grant_type": "http://auth0.com/oauth/grant-type/password-realm", "realm": "€"},
    {**PLAUSIBLE_REQUEST, "audience": "€\x01"},
    {**PLAUSIBLE_REQUEST, "password": "\ud800", "email": "a\ud800@example.com"},
)


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{method} {path}" for method, path in ROUTES])
@settings(max_examples=25, deadline=None, derandomize=True, phases=(Phase.explicit, Phase.generate, Phase.shrink),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(params=parameters(), encoding=st.sampled_from(ENCODINGS), raw=st.binary(max_size=64),
       content_type=header_text(), sent_headers=headers(), path_value=values())
@example(params=FOUND[0], encoding="form", raw=b"", content_type="", sent_headers={}, path_value="\ud800")
@example(params=FOUND[1], encoding="json", raw=b"", content_type="", path_value='"',
         sent_headers={"authorization": f"Bearer {DEEP_TOKEN}".encode(), "sec-fetch-site": b"same-origin"})
@example(params=FOUND[2], encoding="form", raw=b"", content_type="", sent_headers={}, path_value="€")
@example(params=FOUND[3], encoding="json", raw=b"", content_type="", sent_headers={}, path_value="")
@example(params=FOUND[4], encoding="json", raw=b"", content_type="", sent_headers={}, path_value="")
@example(params=FOUND[0], encoding="deep-json", raw=b"", content_type="", sent_headers={}, path_value="")
def test_hostile_input_never_gets_a_server_error(client, method, path, params, encoding, raw, content_type,
                                                  sent_headers, path_value):
    target = path.replace("{slug}", quote(path_value, safe="", errors="surrogatepass"))
    target = target.replace("{initials}", quote(path_value, safe="", errors="surrogatepass"))
    if method == "GET":
        response = client.get(f"{target}?{percent_encoded(params)}", headers=sent_headers)
    else:
        content, content_type = encoded(params, encoding, raw, content_type)
        response = client.request(method, target, content=content,
                                  headers={**sent_headers, "content-type": content_type.encode("latin-1")})
    assert response.status_code < 500, f"{method} {target} answered {response.status_code}: {response.text[:300]}"
