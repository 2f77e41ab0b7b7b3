"""Consent as Auth0 asks for it: an application on localhost asking for an API, once per user, client and scopes."""

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from main import create_app
from settings import Settings
from storage import Database
from storage.database import schema_versions
from tenant.store.store import Store
from tests.conftest import builtin_settings
from tests.tenant.conftest import (
    API, LOOPBACK_SITE, M2M, accept_consent, code_params, consent_state, password_grant, pkce_pair, query_of, sign_in,
)
from tests.tenant.test_authorize import redeem
from tests.tenant.test_response_modes import posted_message

LOOPBACK_CALLBACK = f"{LOOPBACK_SITE}/docs/oauth2-redirect"
EXAMPLE_APP_CALLBACK = "http://localhost:9001/auth/callback"


def loopback_request(**overrides: str) -> tuple[dict, str]:
    """Swagger UI's code + PKCE request, back to the site on 127.0.0.1, and its verifier."""
    verifier, challenge = pkce_pair()
    return code_params(redirect_uri=LOOPBACK_CALLBACK, code_challenge=challenge, code_challenge_method="S256",
                       **overrides), verifier


def authorize(client: TestClient, params: dict) -> str:
    """Where /authorize sends a browser that already has a tenant session."""
    response = client.get("/authorize", params=params)
    assert response.status_code == 302, response.text
    return response.headers["location"]


def consent_given(client: TestClient, **overrides: str) -> None:
    """Sign alice in and accept the consent screen."""
    params, _ = loopback_request(**overrides)
    location = accept_consent(client, sign_in(client, params, "alice@example.com", "alice-demo-1"))
    assert location.startswith(LOOPBACK_CALLBACK) and "code" in query_of(location)


def test_screen_lists_the_application_the_user_and_the_permissions(loopback_tenant):
    params, _ = loopback_request(scope="openid profile email read:messages")
    location = sign_in(loopback_tenant, params, "alice@example.com", "alice-demo-1")
    page = loopback_tenant.get("/u/consent", params={"state": consent_state(location)})
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.text)
    assert "Authorize Swagger UI (/docs)" in text and "alice@example.com" in text and "Playground API" in text
    assert "Read messages" in text and "Your email address" in text and "Administer messages" not in text
    assert ">Accept</button>" in text and ">Decline</button>" in text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert re.search(r"<script|\son[a-z]+=", page.text) is None, "no script on the consent page"


def test_accepted_once_then_remembered(loopback_tenant):
    params, verifier = loopback_request()
    location = accept_consent(loopback_tenant, sign_in(loopback_tenant, params, "alice@example.com", "alice-demo-1"))
    answer = query_of(location)
    assert answer["state"] == "xyz" and redeem(loopback_tenant, answer["code"], verifier,
                                               redirect_uri=LOOPBACK_CALLBACK).status_code == 200
    params, verifier = loopback_request()
    again = query_of(authorize(loopback_tenant, params))
    assert redeem(loopback_tenant, again["code"], verifier, redirect_uri=LOOPBACK_CALLBACK).status_code == 200


@pytest.fixture
def restartable(tmp_path, database_url) -> Iterator:
    """Start the site on a loopback origin again and again over the same tenant database."""
    def start() -> TestClient:
        app = create_app(builtin_settings(tmp_path, origin=LOOPBACK_SITE, database_url=database_url))
        return TestClient(app, base_url=LOOPBACK_SITE, follow_redirects=False)
    yield start


def test_consent_outlives_a_tenant_restart(restartable):
    with restartable() as first:
        consent_given(first)
        cookies = dict(first.cookies)
    with restartable() as second:
        second.cookies.update(cookies)
        assert "code" in query_of(authorize(second, loopback_request()[0]))


def test_decline_sends_access_denied_to_the_application(loopback_tenant):
    location = sign_in(loopback_tenant, loopback_request()[0], "alice@example.com", "alice-demo-1")
    declined = accept_consent(loopback_tenant, location, action="deny")
    assert declined.startswith(LOOPBACK_CALLBACK)
    assert query_of(declined) == {"error": "access_denied", "error_description": "User did not authorize the request",
                                  "state": "xyz"}
    assert "/u/consent?" in authorize(loopback_tenant, loopback_request()[0]), "asked again next time"


def test_prompt_none_answers_consent_required_until_consent_is_given(loopback_tenant):
    sign_in(loopback_tenant, loopback_request()[0], "alice@example.com", "alice-demo-1")
    silent = query_of(authorize(loopback_tenant, loopback_request(prompt="none")[0]))
    assert silent == {"error": "consent_required", "error_description": "Consent required", "state": "xyz"}
    accept_consent(loopback_tenant, authorize(loopback_tenant, loopback_request()[0]))
    assert "code" in query_of(authorize(loopback_tenant, loopback_request(prompt="none")[0]))


def test_prompt_none_consent_required_by_web_message(loopback_tenant):
    sign_in(loopback_tenant, loopback_request()[0], "alice@example.com", "alice-demo-1")
    params, _ = loopback_request(prompt="none", response_mode="web_message")
    origin, response = posted_message(loopback_tenant.get("/authorize", params=params).text)
    assert origin == LOOPBACK_SITE
    assert response == {"error": "consent_required", "error_description": "Consent required", "state": "xyz"}


def test_prompt_none_consent_required_by_form_post(loopback_tenant):
    sign_in(loopback_tenant, loopback_request()[0], "alice@example.com", "alice-demo-1")
    params, _ = loopback_request(prompt="none", response_mode="form_post")
    page = loopback_tenant.get("/authorize", params=params)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    assert f'action="{LOOPBACK_CALLBACK}"' in page.text and fields["error"] == "consent_required"


def test_a_new_scope_asks_again_and_keeps_the_earlier_ones(loopback_tenant):
    consent_given(loopback_tenant, scope="openid read:messages")
    wider = authorize(loopback_tenant, loopback_request(scope="openid read:messages admin:messages")[0])
    page = loopback_tenant.get("/u/consent", params={"state": consent_state(wider)})
    assert "Administer messages" in page.text
    accept_consent(loopback_tenant, wider)
    for scope in ("openid read:messages", "openid admin:messages", "openid read:messages admin:messages"):
        assert "code" in query_of(authorize(loopback_tenant, loopback_request(scope=scope)[0])), scope


def test_prompt_consent_shows_the_screen_again(loopback_tenant):
    consent_given(loopback_tenant)
    location = authorize(loopback_tenant, loopback_request(prompt="consent")[0])
    assert "code" in query_of(accept_consent(loopback_tenant, location))


def test_consent_is_per_user_and_per_client(loopback_tenant):
    consent_given(loopback_tenant)
    verifier, challenge = pkce_pair()
    web_app = {"client_id": "web-app", "redirect_uri": EXAMPLE_APP_CALLBACK, "code_challenge": challenge,
               "code_challenge_method": "S256"}
    assert "/u/consent?" in authorize(loopback_tenant, code_params(**web_app))
    bob = sign_in(loopback_tenant, {**loopback_request()[0], "prompt": "login"}, "bob@example.com", "bob-demo-1")
    assert "/u/consent?" in bob


def test_no_consent_without_an_api(loopback_tenant):
    params, _ = loopback_request(audience="", scope="openid profile")
    location = sign_in(loopback_tenant, params, "alice@example.com", "alice-demo-1")
    assert location.startswith(LOOPBACK_CALLBACK) and "code" in query_of(location)


def test_no_consent_for_a_callback_off_localhost(tenant):
    verifier, challenge = pkce_pair()
    params = code_params(code_challenge=challenge, code_challenge_method="S256")
    location = sign_in(tenant, params, "alice@example.com", "alice-demo-1")
    assert "code" in query_of(location), "the site's own origin is not localhost: no consent screen"


def test_password_grant_and_client_credentials_never_ask(loopback_tenant):
    assert password_grant(loopback_tenant).status_code == 200
    machine = loopback_tenant.post("/oauth/token", data={"grant_type": "client_credentials", "audience": API,
                                                                **M2M})
    assert machine.status_code == 200


@pytest.mark.parametrize("form", [
    {"state": "forged", "action": "accept"},
    {"action": "accept"},
    {"state": "", "action": "deny"},
])
def test_unknown_or_missing_form_token_is_refused(loopback_tenant, form):
    sign_in(loopback_tenant, loopback_request()[0], "alice@example.com", "alice-demo-1")
    answer = loopback_tenant.post("/u/consent", data=form)
    assert answer.status_code == 400 and "This page has expired" in answer.text


def test_bad_consent_forms_get_a_clear_4xx(loopback_tenant):
    location = sign_in(loopback_tenant, loopback_request()[0], "alice@example.com", "alice-demo-1")
    state = consent_state(location)
    for form in ({"state": state}, {"state": state, "action": "maybe"}):
        answer = loopback_tenant.post("/u/consent", data=form)
        assert answer.status_code == 400 and "Press Accept or Decline" in answer.text
    assert loopback_tenant.get("/u/consent", params={"state": "unknown"}).status_code == 400
    assert loopback_tenant.get("/u/consent").status_code == 400
    assert "has expired" in loopback_tenant.get("/u/login", params={"state": state}).text, \
        "a consent token is not a login token"
    assert "code" in query_of(accept_consent(loopback_tenant, location)), "the bad posts used nothing up"


def test_another_browser_cannot_answer(loopback_tenant, tmp_path):
    location = sign_in(loopback_tenant, loopback_request()[0], "alice@example.com", "alice-demo-1")
    attacker = TestClient(loopback_tenant.app, base_url=LOOPBACK_SITE, follow_redirects=False)
    answer = attacker.post("/u/consent", data={"state": consent_state(location), "action": "accept"})
    assert answer.status_code == 400
    loopback_tenant.get("/v2/logout")
    answer = loopback_tenant.post("/u/consent", data={"state": consent_state(location), "action": "accept"})
    assert answer.status_code == 400, "signed out: the consent cannot be given for the user any more"


def test_a_database_of_schema_two_gains_the_consents_table(tmp_path, database_url):
    database = Database(Settings(_env_file=None, data_dir=tmp_path, database_url=database_url).storage_url)
    Store(database)
    with database.transaction() as db:  # back to version 2, before consents were kept
        db.execute(text("DROP TABLE consents"))
        db.execute(schema_versions.update().where(schema_versions.c.component == "tenant").values(version=2))
    store = Store(database)
    store.add_consent("user-1", "swagger-ui", API, frozenset({"openid", "read:messages"}))
    store.add_consent("user-1", "swagger-ui", API, frozenset({"admin:messages"}))
    assert store.consented_scopes("user-1", "swagger-ui", API) == {"openid", "read:messages", "admin:messages"}
    assert store.consented_scopes("user-2", "swagger-ui", API) == frozenset()
    with database.transaction() as db:
        assert db.scalar(select(schema_versions.c.version).where(schema_versions.c.component == "tenant")) == 3


def test_consents_given_at_once_all_count(tmp_path, database_url):
    store = Store(Database(Settings(_env_file=None, data_dir=tmp_path, database_url=database_url).storage_url))
    scopes = [frozenset({f"scope-{n}"}) for n in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda granted: store.add_consent("user-1", "swagger-ui", API, granted), scopes))
    assert store.consented_scopes("user-1", "swagger-ui", API) == frozenset().union(*scopes)


@pytest.mark.parametrize("prompt", ["none consent", "login none"])
def test_prompt_none_with_another_value_is_invalid_request(loopback_tenant, prompt):
    sign_in(loopback_tenant, loopback_request()[0], "alice@example.com", "alice-demo-1")
    returned = query_of(authorize(loopback_tenant, loopback_request(prompt=prompt)[0]))
    assert returned["error"] == "invalid_request" and "prompt=none" in returned["error_description"]
    assert returned["state"] == "xyz" and "code" not in returned


def test_a_consent_posted_from_another_site_is_refused(loopback_tenant):
    location = sign_in(loopback_tenant, loopback_request()[0], "alice@example.com", "alice-demo-1")
    form = {"state": consent_state(location), "action": "accept"}
    answer = loopback_tenant.post("/u/consent", data=form, headers={"origin": "https://attacker.example"})
    assert answer.status_code == 403 and "another site" in answer.text
    assert "code" in query_of(accept_consent(loopback_tenant, location, headers={"origin": "null"})), \
        "the tenant's own no-referrer page sends Origin: null, and the refused post used nothing up"


def test_a_consent_posted_from_the_tenants_origin_is_accepted(loopback_tenant):
    location = sign_in(loopback_tenant, loopback_request()[0], "alice@example.com", "alice-demo-1")
    assert "code" in query_of(accept_consent(loopback_tenant, location, headers={"origin": LOOPBACK_SITE}))
