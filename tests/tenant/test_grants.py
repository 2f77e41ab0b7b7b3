"""The authorization code grant: a code presented a second time revokes every token its first use gave."""

from tests.conftest import claims_of
from tests.tenant.conftest import API, WEB_APP, WEB_CALLBACK, code_params, query_of, sign_in
from tests.tenant.test_authorize import redeem

TOKEN = "/oauth/token"


def web_app_code(tenant, **overrides: str) -> str:
    """Sign alice in to the web app; the authorization code sent to its callback."""
    params = code_params(client_id="web-app", redirect_uri=WEB_CALLBACK, scope="openid profile offline_access",
                         **overrides)
    return query_of(sign_in(tenant, params, "alice@example.com", "alice-demo-1"))["code"]


def redeem_web_app_code(tenant, code: str):
    """The web app's token request for a code."""
    return redeem(tenant, code, None, client=WEB_APP, redirect_uri=WEB_CALLBACK)


def refresh(tenant, refresh_token: str):
    """The web app's refresh token request."""
    return tenant.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": refresh_token, **WEB_APP})


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for an access token."""
    return {"Authorization": f"Bearer {token}"}


def test_a_replayed_code_revokes_the_tokens_of_its_first_use(tenant):
    code = web_app_code(tenant)
    first = redeem_web_app_code(tenant, code).json()
    assert tenant.get("/api/secure", headers=bearer(first["access_token"])).status_code == 200
    assert tenant.get("/userinfo", headers=bearer(first["access_token"])).status_code == 200

    replay = redeem_web_app_code(tenant, code)
    assert replay.status_code == 403 and replay.json()["error"] == "invalid_grant"

    secure = tenant.get("/api/secure", headers=bearer(first["access_token"]))
    assert secure.status_code == 401 and secure.json()["check"] == "revoked"
    assert "used a second time" in secure.json()["detail"]
    assert tenant.get("/userinfo", headers=bearer(first["access_token"])).status_code == 401
    assert refresh(tenant, first["refresh_token"]).status_code == 403


def test_tokens_refreshed_before_the_replay_are_revoked_too(tenant):
    code = web_app_code(tenant)
    first = redeem_web_app_code(tenant, code).json()
    later = refresh(tenant, first["refresh_token"]).json()
    assert tenant.get("/api/secure", headers=bearer(later["access_token"])).status_code == 200
    redeem_web_app_code(tenant, code)
    assert tenant.get("/api/secure", headers=bearer(later["access_token"])).status_code == 401
    assert refresh(tenant, later["refresh_token"]).status_code == 403


def test_a_replay_leaves_other_logins_alone(tenant):
    other = redeem_web_app_code(tenant, web_app_code(tenant)).json()
    code = web_app_code(tenant, prompt="login")
    redeem_web_app_code(tenant, code)
    redeem_web_app_code(tenant, code)
    assert tenant.get("/api/secure", headers=bearer(other["access_token"])).status_code == 200
    assert refresh(tenant, other["refresh_token"]).status_code == 200


def test_a_replay_revokes_a_token_meant_for_userinfo_alone(tenant):
    code = web_app_code(tenant, audience="")
    first = redeem_web_app_code(tenant, code).json()
    assert first["access_token"].count(".") == 4
    assert tenant.get("/userinfo", headers=bearer(first["access_token"])).status_code == 200
    redeem_web_app_code(tenant, code)
    assert tenant.get("/userinfo", headers=bearer(first["access_token"])).status_code == 401


def test_access_tokens_name_their_grant_in_jti(tenant):
    first = redeem_web_app_code(tenant, web_app_code(tenant)).json()
    later = refresh(tenant, first["refresh_token"]).json()
    grant, _, own = claims_of(first["access_token"])["jti"].partition(".")
    assert grant and own and claims_of(later["access_token"])["jti"].startswith(f"{grant}.")
    assert claims_of(later["access_token"])["jti"] != claims_of(first["access_token"])["jti"]
    assert claims_of(first["access_token"])["aud"][0] == API
