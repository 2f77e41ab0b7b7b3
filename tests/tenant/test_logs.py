"""The tenant's logs: each flow it supports writes the event Auth0 writes for it, with who, what and why."""

import logging
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from main import create_app
from tenant.store.logs import LogQuery
from tests.conftest import builtin_settings
from tests.tenant.conftest import API, M2M, accept_consent, code_params, pkce_pair, password_grant, query_of, sign_in
from tests.tenant.test_actions import SCENARIOS, scenario
from tests.tenant.test_authorize import redeem
from tests.tenant.test_consent import loopback_request
from tests.tenant.test_device import decide, no_wait, poll, start  # noqa: F401 (fixture)
from tests.tenant.test_grants import redeem_web_app_code, refresh, web_app_code

ALICE_ID = "auth0|ff8d9819fc0e12bf0d24892e"
CONNECTION = "Username-Password-Authentication"
SIGNUP_PAGE_PASSWORD = "Dana-signs-up-9"


def logged(client: TestClient) -> list[dict]:
    """Every event the tenant recorded, oldest first."""
    journal = client.app.state.builtin_tenant.tenant.logs
    journal.flush()
    return list(reversed(journal.store.events(LogQuery(everything=True), 1000)))


def types(client: TestClient) -> list[str]:
    """The codes of the recorded events, oldest first."""
    return [event["type"] for event in logged(client)]


def login_form_state(client: TestClient, **overrides: str) -> str:
    """Open /authorize for Swagger UI's client; the login form's state."""
    return query_of(client.get("/authorize", params=code_params(**overrides)).headers["location"])["state"]


def test_password_grant_success_is_sepft_with_who_and_where(tenant):
    assert password_grant(tenant).status_code == 200
    [event] = logged(tenant)
    assert event["type"] == "sepft"
    assert event["user_id"] == ALICE_ID and event["user_name"] == "alice@example.com"
    assert event["client_id"] == "web-app" and event["client_name"]
    assert event["connection"] == CONNECTION and event["ip"] and event["user_agent"]
    assert event["details"]["audience"] == API
    assert re.fullmatch(r"[0-9]{20,64}", event["log_id"])
    assert "description" not in event


def test_password_grant_failures_say_why(tenant):
    password_grant(tenant, password="not-her-password")
    password_grant(tenant, username="nobody@example.com")
    password_grant(tenant, client_secret="wrong")
    wrong_password, unknown_user, bad_client = logged(tenant)
    assert wrong_password["type"] == "fp" and wrong_password["user_id"] == ALICE_ID
    assert wrong_password["description"] == "Wrong email or password."
    assert wrong_password["details"]["error"]["message"] == "Wrong email or password."
    assert unknown_user["type"] == "fu" and "user_id" not in unknown_user
    assert unknown_user["user_name"] == "nobody@example.com"
    assert bad_client["type"] == "fepft" and bad_client["client_id"] == "web-app"


def test_a_password_typed_as_the_username_is_not_kept(tenant):
    password_grant(tenant, username="Sup3r-secret!")
    [event] = logged(tenant)
    assert event["type"] == "fu" and "Sup3r-secret!" not in str(event)


def test_lockout_is_limit_wc_after_the_failed_logins(tenant):
    for _ in range(10):
        password_grant(tenant, "bob", password="wrong")
    assert password_grant(tenant, "bob").status_code == 429
    assert types(tenant) == ["fp"] * 10 + ["limit_wc"]
    assert logged(tenant)[-1]["user_name"] == "bob@example.com"


def test_web_login_is_s_then_the_code_exchange_seacft(tenant):
    verifier, challenge = pkce_pair()
    location = sign_in(tenant, code_params(code_challenge=challenge, code_challenge_method="S256"),
                       "alice@example.com", "alice-demo-1")
    assert redeem(tenant, query_of(location)["code"], verifier).status_code == 200
    login, exchange = logged(tenant)
    assert (login["type"], exchange["type"]) == ("s", "seacft")
    assert login["client_id"] == exchange["client_id"] == "swagger-ui"
    assert login["user_id"] == exchange["user_id"] == ALICE_ID
    assert redeem(tenant, query_of(location)["code"], verifier).status_code == 403
    replay = logged(tenant)[-1]
    assert replay["type"] == "feacft" and replay["description"] == "Invalid authorization code"


def test_web_login_failures_are_fp_and_fu(tenant):
    state = login_form_state(tenant)
    assert tenant.post("/u/login", data={"state": state, "username": "alice@example.com",
                                         "password": "wrong"}).status_code == 401
    assert tenant.post("/u/login", data={"state": state, "username": "nobody@example.com",
                                         "password": "wrong"}).status_code == 401
    wrong_password, unknown_user = logged(tenant)
    assert wrong_password["type"] == "fp" and wrong_password["user_id"] == ALICE_ID
    assert wrong_password["client_id"] == "swagger-ui"
    assert unknown_user["type"] == "fu" and unknown_user["user_name"] == "nobody@example.com"


def test_login_page_lockout_is_limit_wc(tenant):
    form = {"state": login_form_state(tenant), "username": "bob@example.com", "password": "wrong"}
    for _ in range(10):
        tenant.post("/u/login", data=form)
    assert tenant.post("/u/login", data={**form, "password": "bob-demo-1"}).status_code == 429
    assert types(tenant)[-1] == "limit_wc"


def test_silent_authentication_is_ssa_or_fsa(tenant):
    assert "error=login_required" in tenant.get("/authorize", params=code_params(prompt="none")).headers["location"]
    sign_in(tenant, code_params(), "alice@example.com", "alice-demo-1")
    assert "code=" in tenant.get("/authorize", params=code_params(prompt="none")).headers["location"]
    assert types(tenant) == ["fsa", "s", "ssa"]


def test_sign_up_page_is_ss_or_fs(tenant):
    state = login_form_state(tenant)
    weak = tenant.post("/u/signup", data={"state": state, "email": "dana@example.com", "password": "weak"})
    assert weak.status_code == 400
    assert tenant.post("/u/signup", data={"state": state, "email": "dana@example.com",
                                          "password": SIGNUP_PAGE_PASSWORD}).status_code == 302
    failed, created, login = logged(tenant)
    assert failed["type"] == "fs" and failed["description"] == "The password is too weak."
    assert failed["user_name"] == "dana@example.com"
    assert created["type"] == "ss" and created["user_name"] == "dana@example.com"
    assert created["user_id"].startswith("auth0|")
    assert login["type"] == "s" and login["user_id"] == created["user_id"]


def test_dbconnections_signup_is_ss_or_fs(tenant):
    body = {"client_id": "web-app", "email": "erin@example.com", "password": "Erin-signs-up-9",
            "connection": CONNECTION}
    assert tenant.post("/dbconnections/signup", json=body).status_code == 200
    assert tenant.post("/dbconnections/signup", json=body).status_code == 400
    created, taken = logged(tenant)
    assert created["type"] == "ss" and created["client_id"] == "web-app"
    assert taken["type"] == "fs" and taken["description"] == "The user already exists."


def test_client_credentials_is_seccft_or_feccft(tenant):
    assert tenant.post("/oauth/token", data={"grant_type": "client_credentials", "audience": API,
                                             **M2M}).status_code == 200
    assert tenant.post("/oauth/token", data={"grant_type": "client_credentials", "audience": "https://other",
                                             **M2M}).status_code == 403
    granted, refused = logged(tenant)
    assert granted["type"] == "seccft" and granted["client_id"] == "m2m" and "user_id" not in granted
    assert refused["type"] == "feccft" and "Service not found" in refused["description"]


def test_refresh_is_sertft_and_reuse_is_ferrt(tenant):
    first = redeem_web_app_code(tenant, web_app_code(tenant)).json()
    assert refresh(tenant, first["refresh_token"]).status_code == 200
    assert refresh(tenant, first["refresh_token"]).status_code == 403
    assert refresh(tenant, "never-issued").status_code == 403
    assert types(tenant) == ["s", "seacft", "sertft", "ferrt", "fertft"]
    assert logged(tenant)[2]["user_id"] == ALICE_ID


def test_device_flow_is_sede_and_its_failures(tenant, no_wait):  # noqa: F811
    flow = start(tenant)
    assert poll(tenant, flow["device_code"]).status_code == 403  # authorization_pending: not a failure
    decide(tenant, flow["user_code"], username="alice@example.com", password="alice-demo-1")
    assert poll(tenant, flow["device_code"]).status_code == 200
    cancelled = start(tenant)
    decide(tenant, cancelled["user_code"], action="cancel")
    assert poll(tenant, cancelled["device_code"]).status_code == 403
    decide(tenant, "BCDF-GHJK")
    assert tenant.post("/oauth/device/code", data={"client_id": "nobody"}).status_code == 403
    assert types(tenant) == ["sede", "fdecc", "fede", "fdeac", "fdeaz"]
    success = logged(tenant)[0]
    assert success["user_id"] == ALICE_ID and success["client_id"] == "cli"


def test_activation_page_sign_in_failures_are_fp(tenant):
    flow = start(tenant)
    decide(tenant, flow["user_code"], username="alice@example.com", password="wrong")
    [event] = logged(tenant)
    assert event["type"] == "fp" and event["client_id"] == "cli"


def test_logout_is_slo_and_a_refused_one_flo(tenant):
    sign_in(tenant, code_params(), "alice@example.com", "alice-demo-1")
    assert tenant.get("/v2/logout", params={"client_id": "swagger-ui"}).status_code in (200, 302)
    assert tenant.get("/v2/logout", params={"returnTo": "https://evil.example"}).status_code == 400
    login, logout, refused = logged(tenant)
    assert logout["type"] == "slo" and logout["user_id"] == ALICE_ID and logout["client_id"] == "swagger-ui"
    assert refused["type"] == "flo" and "not allowed" in refused["description"]


def test_password_change_is_scpr_then_scp(tenant, caplog):
    caplog.set_level(logging.WARNING, logger="tenant")
    body = {"client_id": "web-app", "connection": CONNECTION}
    tenant.post("/dbconnections/change_password", json={**body, "email": "bob@example.com"})
    tenant.post("/dbconnections/change_password", json={**body, "email": "nobody@example.com"})
    ticket = re.search(r"lo/reset\?ticket=(\S+)", caplog.text).group(1)
    assert tenant.post("/lo/reset", data={"ticket": ticket, "password": "weak"}).status_code == 400
    assert tenant.post("/lo/reset", data={"ticket": ticket, "password": "Bob-new-pass-2"}).status_code == 200
    assert tenant.post("/lo/reset", data={"ticket": ticket, "password": "Bob-new-pass-3"}).status_code == 400
    assert types(tenant) == ["scpr", "fcpr", "fcp", "scp", "fcp"]
    requested, unknown, weak, changed, _ = logged(tenant)
    assert requested["user_name"] == "bob@example.com" and requested["user_id"]
    assert unknown["user_name"] == "nobody@example.com"
    assert changed["user_id"] == requested["user_id"]


def test_declined_consent_is_a_failed_login(loopback_tenant):
    location = sign_in(loopback_tenant, loopback_request()[0], "alice@example.com", "alice-demo-1")
    accept_consent(loopback_tenant, location, "deny")
    [event] = logged(loopback_tenant)
    assert event["type"] == "f" and event["description"] == "User did not authorize the request"
    assert event["user_id"] == ALICE_ID


@pytest.mark.parametrize("path", ["/oauth/token", "/u/login"])
def test_an_unreadable_request_writes_nothing(tenant, path):
    tenant.post(path, content=b"\xff", headers={"content-type": "application/x-www-form-urlencoded"})
    assert logged(tenant) == []


@pytest.fixture
def denying(tmp_path) -> Iterator[TestClient]:
    """A site whose tenant runs the test Action, which denies the scenario `deny`."""
    with TestClient(create_app(builtin_settings(tmp_path, tenant_actions=[SCENARIOS])), follow_redirects=False) as client:
        yield client


def test_a_login_an_action_denies_is_f_with_the_actions_reason(denying):
    state = login_form_state(denying, scope=scenario("deny"))
    denied = denying.post("/u/login", data={"state": state, "username": "alice@example.com",
                                            "password": "alice-demo-1"})
    assert "error=access_denied" in denied.headers["location"]
    assert password_grant(denying, scope=scenario("deny")).status_code == 403
    web, grant = logged(denying)
    assert (web["type"], web["description"], web["user_id"]) == ("f", "Only staff may log in here", ALICE_ID)
    assert (grant["type"], grant["description"]) == ("f", "Only staff may log in here")
