"""The device authorization flow (RFC 8628): device codes, Auth0's polling answers, and the activation page."""

import pytest
from fastapi.testclient import TestClient

from tenant.endpoints import device_authorization
from tenant.grants import device_code as device_flow
from tenant.grants.password import BLOCKED_DESCRIPTION
from tenant.pages import activation
from tenant.security.throttle import Throttle
from tests.conftest import claims_of
from tests.tenant.conftest import API, ISSUER, WEB_APP, activation_form_token, submit_activation

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
ALICE = {"username": "alice@example.com", "password": "alice-demo-1"}


@pytest.fixture
def no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Polls may follow each other at once (the slow_down test keeps Auth0's 5 seconds)."""
    for module in (device_flow, device_authorization):
        monkeypatch.setattr(module, "POLL_INTERVAL", 0)


def start(client: TestClient, **overrides: str) -> dict:
    """POST /oauth/device/code for the cli client."""
    answer = client.post("/oauth/device/code", data={
        "client_id": "cli", "audience": API, "scope": "openid profile email offline_access read:messages",
        **overrides})
    assert answer.status_code == 200, answer.text
    return answer.json()


def poll(client: TestClient, device_code: str, client_id: str = "cli"):
    """One poll of the token endpoint."""
    return client.post("/oauth/token", data={"grant_type": DEVICE_GRANT, "device_code": device_code,
                                                     "client_id": client_id})


def decide(client: TestClient, user_code: str, action: str = "confirm", **credentials: str):
    """Submit the activation page."""
    return submit_activation(client, user_code, action, **credentials)


def test_device_code_answer_is_auth0s(tenant) -> None:
    body = start(tenant)
    assert set(body) == {"device_code", "user_code", "verification_uri", "verification_uri_complete", "expires_in",
                         "interval"}
    assert body["verification_uri"] == f"{ISSUER}activate"
    assert body["verification_uri_complete"] == f"{ISSUER}activate?user_code={body['user_code']}"
    assert body["expires_in"] == 900 and body["interval"] == 5
    assert len(body["user_code"]) == 9 and body["user_code"][4] == "-"
    discovery = tenant.get("/.well-known/openid-configuration").json()
    assert discovery["device_authorization_endpoint"] == f"{ISSUER}oauth/device/code"
    assert DEVICE_GRANT in discovery["grant_types_supported"]


@pytest.mark.parametrize(("data", "status", "error"), [
    ({"client_id": ""}, 400, "invalid_request"),
    ({"client_id": "nobody"}, 403, "unauthorized_client"),
    ({"client_id": "web-app"}, 403, "unauthorized_client"),
    ({"audience": "https://elsewhere/api"}, 403, "access_denied"),
    ({"audience": API, "scope": "openid " * 200}, 400, "invalid_request"),
    ({"audience": "https://playground/" + "a" * 600}, 400, "invalid_request"),
])
def test_device_code_refusals(tenant, data: dict, status: int, error: str) -> None:
    answer = tenant.post("/oauth/device/code", data={"client_id": "cli", **data})
    assert answer.status_code == status and answer.json()["error"] == error


def test_pending_then_approved_with_the_code_typed_in(tenant, no_wait) -> None:
    body = start(tenant)
    pending = poll(tenant, body["device_code"])
    assert pending.status_code == 403
    assert pending.json() == {"error": "authorization_pending", "error_description": "User has yet to authorize device code."}
    page = tenant.get("/activate")
    assert 'name="user_code"' in page.text
    typed = body["user_code"].lower().replace("-", " ")
    confirm = tenant.get("/activate", params={"user_code": typed})
    assert confirm.status_code == 200 and body["user_code"] in confirm.text and "Playground CLI" in confirm.text
    assert decide(tenant, typed, **ALICE).status_code == 200
    tokens = poll(tenant, body["device_code"])
    assert tokens.status_code == 200, tokens.text
    access = claims_of(tokens.json()["access_token"])
    assert access["azp"] == "cli" and access["scope"] == "openid profile email offline_access read:messages"
    assert access["https://playground.example/email"] == "alice@example.com"
    id_token = claims_of(tokens.json()["id_token"])
    assert id_token["email"] == "alice@example.com" and id_token["auth_time"] <= access["iat"]
    refreshed = tenant.post("/oauth/token", data={"grant_type": "refresh_token", "client_id": "cli",
                                                         "refresh_token": tokens.json()["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    again = poll(tenant, body["device_code"])
    assert again.status_code == 403 and again.json()["error"] == "invalid_grant"


def test_a_signed_in_browser_confirms_without_a_password(tenant, no_wait) -> None:
    first, second = start(tenant), start(tenant)
    assert decide(tenant, first["user_code"], **ALICE).status_code == 200
    page = tenant.get("/activate", params={"user_code": second["user_code"]})
    assert "Signed in as <strong>alice@example.com</strong>" in page.text and 'name="password"' not in page.text
    assert decide(tenant, second["user_code"]).status_code == 200
    assert poll(tenant, second["device_code"]).status_code == 200


def test_wrong_password_keeps_the_code_pending(tenant, no_wait) -> None:
    body = start(tenant)
    wrong = decide(tenant, body["user_code"], username="alice@example.com", password="nope")
    assert wrong.status_code == 401 and "Wrong email or password." in wrong.text
    assert poll(tenant, body["device_code"]).json()["error"] == "authorization_pending"


def test_denied_on_the_activation_page(tenant, no_wait) -> None:
    body = start(tenant)
    assert decide(tenant, body["user_code"], action="deny", **ALICE).status_code == 200
    denied = poll(tenant, body["device_code"])
    assert denied.status_code == 403
    assert denied.json() == {"error": "access_denied", "error_description": "User has denied access."}


def test_denying_needs_a_signed_in_user_as_confirming_does(tenant, no_wait) -> None:
    body = start(tenant)
    for credentials in ({}, {"username": "alice@example.com", "password": "nope"}):
        refused = decide(tenant, body["user_code"], action="deny", **credentials)
        assert refused.status_code == 401 and 'name="password"' in refused.text
    assert "Sign in to confirm or cancel this request." in decide(tenant, body["user_code"], action="deny").text
    assert poll(tenant, body["device_code"]).json()["error"] == "authorization_pending"
    assert decide(tenant, body["user_code"], **ALICE).status_code == 200
    assert poll(tenant, body["device_code"]).status_code == 200


def test_polling_too_fast_is_slow_down_and_the_interval_grows(tenant) -> None:
    body = start(tenant)
    assert poll(tenant, body["device_code"]).json()["error"] == "authorization_pending"
    fast = poll(tenant, body["device_code"])
    assert fast.status_code == 429
    assert fast.json() == {"error": "slow_down",
                           "error_description": "You are polling faster than the specified interval of 5 seconds."}
    assert "10 seconds" in poll(tenant, body["device_code"]).json()["error_description"]


def test_the_slow_down_interval_stops_growing_at_a_minute(tenant) -> None:
    body = start(tenant)
    descriptions = [poll(tenant, body["device_code"]).json()["error_description"] for _ in range(20)]
    assert descriptions[-1] == "You are polling faster than the specified interval of 60 seconds."
    assert not any(f"{seconds} seconds" in text for text in descriptions for seconds in (65, 70, 100))


def test_a_user_code_works_once(tenant, no_wait) -> None:
    body = start(tenant)
    assert decide(tenant, body["user_code"], **ALICE).status_code == 200
    reused = decide(tenant, body["user_code"], action="deny")
    assert reused.status_code == 400 and "invalid, expired or already used" in reused.text
    assert tenant.get("/activate", params={"user_code": body["user_code"]}).status_code == 400
    assert poll(tenant, body["device_code"]).status_code == 200


def test_an_expired_device_code(tenant, no_wait, monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (device_flow, device_authorization, activation):
        monkeypatch.setattr(module, "DEVICE_CODE_LIFETIME", 0)
    body = start(tenant)
    expired = poll(tenant, body["device_code"])
    assert expired.status_code == 403
    assert expired.json() == {"error": "expired_token",
                              "error_description": "User has not authorized device code within the specified time."}
    assert tenant.get("/activate", params={"user_code": body["user_code"]}).status_code == 400


@pytest.mark.parametrize(("device_code", "client_id"), [("made-up", "cli"), (None, "web-app")])
def test_unknown_or_foreign_device_codes_are_invalid_grant(tenant, no_wait, device_code, client_id) -> None:
    code = device_code or start(tenant)["device_code"]
    data = {"grant_type": DEVICE_GRANT, "device_code": code, "client_id": client_id}
    if client_id == "web-app":
        data.update(WEB_APP)
    answer = tenant.post("/oauth/token", data=data)
    assert answer.status_code == 403
    assert answer.json()["error"] == ("invalid_grant" if client_id == "cli" else "unauthorized_client")


def test_missing_device_code_is_invalid_request(tenant) -> None:
    answer = tenant.post("/oauth/token", data={"grant_type": DEVICE_GRANT, "client_id": "cli"})
    assert answer.status_code == 400
    assert answer.json() == {"error": "invalid_request", "error_description": "Missing required parameter: device_code"}


def test_a_cross_site_form_cannot_approve_a_device_with_the_victims_session(tenant, no_wait) -> None:
    assert decide(tenant, start(tenant)["user_code"], **ALICE).status_code == 200  # the victim is signed in
    attackers = start(tenant)
    forged = {"user_code": attackers["user_code"], "action": "confirm"}
    assert tenant.post("/activate", data=forged).status_code == 403
    with_token = {**forged, "form_token": activation_form_token(tenant, attackers["user_code"])}
    elsewhere = tenant.post("/activate", data=with_token, headers={"origin": "https://attacker.example"})
    assert elsewhere.status_code == 403 and "This activation page has expired" in elsewhere.text
    assert poll(tenant, attackers["device_code"]).json()["error"] == "authorization_pending"


def test_an_activation_form_belongs_to_the_browser_it_was_served_to_and_works_once(tenant, no_wait) -> None:
    body = start(tenant)
    token = activation_form_token(tenant, body["user_code"])
    form = {"user_code": body["user_code"], "action": "confirm", "form_token": token, **ALICE}
    browser = tenant.cookies.get("auth0_browser")
    tenant.cookies.set("auth0_browser", "another-browser-0000", path="/")
    assert tenant.post("/activate", data=form).status_code == 403
    tenant.cookies.set("auth0_browser", browser, path="/")
    assert tenant.post("/activate", data=form).status_code == 403  # the token was used up
    same_site = tenant.post("/activate", headers={"origin": "http://testserver"},
                            data={**form, "form_token": activation_form_token(tenant, body["user_code"])})
    assert same_site.status_code == 200
    assert poll(tenant, body["device_code"]).status_code == 200


def test_a_form_posted_with_origin_null_is_the_tenants_own(tenant, no_wait) -> None:
    body = start(tenant)
    form = {"user_code": body["user_code"], "action": "confirm", **ALICE,
            "form_token": activation_form_token(tenant, body["user_code"])}
    # What a browser sends from a page whose Referrer-Policy is no-referrer, as the tenant's pages are.
    assert tenant.post("/activate", headers={"origin": "null"}, data=form).status_code == 200
    assert poll(tenant, body["device_code"]).status_code == 200


def test_device_codes_per_address_are_limited(tenant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device_authorization, "DEVICE_CODES_PER_ADDRESS", Throttle("device-codes", 3, 15 * 60))
    for _ in range(3):
        start(tenant)
    refused = tenant.post("/oauth/device/code", data={"client_id": "cli", "scope": "openid"})
    assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= 15 * 60
    assert refused.json() == {"error": "too_many_requests",
                              "error_description": "Too many device codes from your address."}


def test_guessing_on_the_activation_page_is_blocked_per_browser(tenant, no_wait) -> None:
    body = start(tenant)
    wrong = {"username": "alice@example.com", "password": "guess-0000"}
    answers = [decide(tenant, body["user_code"], **wrong).status_code for _ in range(11)]
    assert answers == [401] * 10 + [429]
    blocked = decide(tenant, body["user_code"], **ALICE)
    assert blocked.status_code == 429 and BLOCKED_DESCRIPTION in blocked.text
    tenant.cookies.clear()  # another browser at the same address is not locked out
    assert decide(tenant, body["user_code"], **wrong).status_code == 401
    assert decide(tenant, body["user_code"], **ALICE).status_code == 200
    assert poll(tenant, body["device_code"]).status_code == 200


def test_activation_forms_per_address_are_limited(tenant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(activation, "ACTIVATION_FORMS_PER_ADDRESS", Throttle("activation-forms", 2, 15 * 60))
    user_code = start(tenant)["user_code"]
    assert [tenant.get("/activate", params={"user_code": user_code}).status_code for _ in range(2)] == [200] * 2
    refused = tenant.get("/activate", params={"user_code": user_code})
    assert refused.status_code == 429 and "retry-after" in refused.headers and 'name="form_token"' not in refused.text


def activation_lookup(client: TestClient, user_code: str):
    """Look a user code up on the activation page."""
    return client.get("/activate", params={"user_code": user_code})


def test_wrong_codes_from_one_address_are_limited_however_the_browser_cookie_changes(tenant) -> None:
    live = start(tenant)["user_code"]
    misses = activation.CODE_MISSES_PER_ADDRESS.limit
    for number in range(misses):
        tenant.cookies.set("auth0_browser", f"forged-browser-{number:06d}", path="/")
        assert activation_lookup(tenant, f"BCDF-{number:04d}").status_code == 400
    refused = activation_lookup(tenant, live)
    assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= 15 * 60 + 1
    assert "Too many codes were entered from this browser or network." in refused.text
    assert 'name="form_token"' not in refused.text
    posted = tenant.post("/activate", data={"user_code": live, "action": "confirm", **ALICE})
    assert posted.status_code == 429
    with TestClient(tenant.app, client=("203.0.113.44", 40000)) as elsewhere:
        assert activation_lookup(elsewhere, live).status_code == 200


def test_one_browser_may_look_codes_up_only_so_often(tenant, no_wait) -> None:
    body = start(tenant)
    assert activation_lookup(tenant, body["user_code"]).status_code == 200  # gives this browser its cookie
    lookups = activation.CODE_LOOKUPS_PER_BROWSER.limit
    answers = [activation_lookup(tenant, body["user_code"]).status_code for _ in range(lookups + 1)]
    assert answers == [200] * lookups + [429]
    assert decide(tenant, body["user_code"], **ALICE).status_code == 429
    tenant.cookies.clear()  # another browser at the same address
    assert decide(tenant, body["user_code"], **ALICE).status_code == 200
    assert poll(tenant, body["device_code"]).status_code == 200


def test_not_you_signs_the_browser_out_of_the_tenant_and_asks_again(tenant, no_wait) -> None:
    first, second = start(tenant), start(tenant)
    assert decide(tenant, first["user_code"], **ALICE).status_code == 200
    page = tenant.get("/activate", params={"user_code": second["user_code"]})
    assert "data-not-you" in page.text
    switched = decide(tenant, second["user_code"], "switch_user")
    assert switched.status_code == 200
    assert 'name="password"' in switched.text and "Signed in as" not in switched.text
    assert poll(tenant, second["device_code"]).json()["error"] == "authorization_pending"
    assert decide(tenant, second["user_code"], username="bob@example.com", password="bob-demo-1").status_code == 200
    assert claims_of(poll(tenant, second["device_code"]).json()["access_token"])["sub"] != claims_of(
        poll(tenant, first["device_code"]).json()["access_token"])["sub"]
