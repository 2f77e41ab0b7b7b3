"""Bad input of every kind gets Auth0's 4xx answer, never a server error."""

import pytest

from tests.conftest import claims_of, header_of
from tests.tenant.conftest import API, WEB_APP, code_params, password_grant

TOKEN = "/oauth/token"


@pytest.mark.parametrize(("body", "status", "error"), [
    ({}, 400, "invalid_request"),
    ({"grant_type": "magic"}, 400, "unsupported_grant_type"),
    ({"grant_type": "password", **WEB_APP}, 400, "invalid_request"),
    ({"grant_type": "authorization_code", **WEB_APP}, 400, "invalid_request"),
    ({"grant_type": "authorization_code", "code": "made-up", **WEB_APP}, 403, "invalid_grant"),
    ({"grant_type": "refresh_token", "refresh_token": "made-up", **WEB_APP}, 403, "invalid_grant"),
    ({"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x", "audience": API}, 401,
     "access_denied"),
    ({"grant_type": "password", "client_id": "web-app", "username": "a", "password": "b"}, 401, "access_denied"),
])
def test_token_endpoint_refusals(tenant, body, status, error):
    response = tenant.post(TOKEN, data=body)
    assert response.status_code == status, response.text
    assert response.json()["error"] == error
    assert response.json()["error_description"]


def test_repeated_parameters_are_refused(tenant):
    response = tenant.post(TOKEN, content="grant_type=password&grant_type=client_credentials",
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400
    assert "only once" in response.json()["error_description"]


@pytest.mark.parametrize(("content", "content_type"), [
    ("{not json", "application/json"),
    ('["a list"]', "application/json"),
    ('{"grant_type": ["password"]}', "application/json"),
    ('{"grant_type": {"a": 1}}', "application/json"),
    ("grant_type=password", "text/plain"),
    (b"\xff\xfe", "application/x-www-form-urlencoded"),
])
def test_unreadable_bodies_are_invalid_request(tenant, content, content_type):
    response = tenant.post(TOKEN, content=content, headers={"content-type": content_type})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_huge_body_is_refused_without_reading_it(tenant):
    response = tenant.post(TOKEN, content="a=" + "x" * 200_000,
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413


def test_overlong_credentials_are_just_wrong(tenant):
    response = password_grant(tenant, "alice", username="a" * 5000, password="b" * 5000)
    assert response.status_code == 403


@pytest.mark.parametrize("query", [
    {"client_id": "swagger-ui"},
    {**code_params(), "response_type": None},
    {**code_params(), "client_id": None},
])
def test_authorize_without_essentials_shows_an_error_page(tenant, query):
    response = tenant.get("/authorize", params={k: v for k, v in query.items() if v is not None})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert "error=" in response.headers["location"]
    else:
        assert "text/html" in response.headers["content-type"]


def test_authorize_with_repeated_parameter_redirects_an_error(tenant):
    query = "&".join(f"{k}={v}" for k, v in code_params().items()) + "&scope=openid"
    response = tenant.get(f"/authorize?{query}")
    assert response.status_code in (302, 400)
    assert "error" in (response.headers.get("location") or response.text)


def test_unsupported_response_type_is_redirected_back(tenant):
    response = tenant.get("/authorize", params=code_params(response_type="code id_token"))
    assert response.status_code == 302
    assert "error=unsupported_response_type" in response.headers["location"]


def test_userinfo_refuses_tampered_and_missing_tokens(tenant):
    missing = tenant.get("/userinfo")
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    token = password_grant(tenant, "alice").json()["access_token"]
    head, payload, signature = token.split(".")
    tampered = f"{head}.{payload[:-2]}AA.{signature}"
    five_parts_not_an_object = ("WzFd.a.b.c.d", "MQ.a.b.c.d", "bnVsbA.a.b.c.d")  # [1], 1, null
    for bad in (tampered, "abc.def.ghi", "not-a-token", token + "x", *five_parts_not_an_object):
        response = tenant.get("/userinfo", headers={"Authorization": f"Bearer {bad}"})
        assert response.status_code == 401
        assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_api_only_token_is_refused_by_userinfo(tenant):
    token = password_grant(tenant, "alice", scope="read:messages").json()["access_token"]
    response = tenant.get("/userinfo", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_avatar_rejects_anything_but_initials(tenant):
    assert tenant.get("/avatars/ae.svg").status_code == 200
    assert tenant.get("/avatars/..%2f.svg").status_code == 404
    assert tenant.get("/avatars/abc.svg").status_code == 404


def test_userinfo_refuses_foreign_and_unsigned_tokens(tenant):
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    genuine = password_grant(tenant, "alice").json()["access_token"]
    claims = claims_of(genuine)
    kid = header_of(genuine)["kid"]
    foreign = jwt.encode({"alg": "RS256", "kid": kid}, claims, RSAKey.generate_key(2048))
    unsigned = jwt.encode({"alg": "none", "kid": kid}, claims, None, algorithms=["none"])
    for bad in (foreign, unsigned):
        response = tenant.get("/userinfo", headers={"Authorization": f"Bearer {bad}"})
        assert response.status_code == 401


def raw_post(client, path: str, headers: list[tuple[bytes, bytes]]) -> tuple[int, bytes]:
    """POST with header bytes sent as they are (HTTP clients re-encode them), straight to the site's ASGI app."""
    answer: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        answer.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), *headers], "client": ("127.0.0.1", 50000),
             "server": ("testserver", 80), "state": {}}
    client.portal.call(client.app, scope, receive, send)
    return answer[0]["status"], b"".join(message.get("body", b"") for message in answer[1:])


def test_a_content_length_in_other_digits_is_refused(tenant):
    for declared in ("²", "¹²"):  # header bytes are read as Latin-1, where these are digits to str.isdigit()
        status, body = raw_post(tenant, "/oauth/token", [(b"content-length", declared.encode("latin-1"))])
        assert status == 413 and b"Invalid Content-Length" in body


@pytest.mark.parametrize("path", [TOKEN, "/oauth/revoke"])
@pytest.mark.parametrize("credentials", [b"Basic /w==", "Basic wé".encode("latin-1")])
def test_unreadable_basic_credentials_are_invalid_client(tenant, path, credentials):
    data = {"grant_type": "client_credentials", "audience": API, "token": "t"}
    response = tenant.post(path, data=data, headers={"authorization": credentials})
    assert response.status_code == 401, response.text
    assert response.json()["error"] == "invalid_client"
