"""Bad bodies get a clear 4xx naming the problem, never a 500, and never reach the tenant."""

import json

import pytest

BAD_BODIES = [
    ({"email": "not-an-email", "password": "secret-123"}, "email"),
    ({"email": "alice@", "password": "secret-123"}, "email"),
    ({"email": "alice@example.com"}, "password"),
    ({"password": "secret-123"}, "email"),
    ({"email": "alice@example.com", "password": ""}, "password"),
    ({"email": "alice@example.com", "password": "x" * 2000}, "password"),
    ({"email": 42, "password": "secret-123"}, "email"),
    ({"email": "alice@example.com", "password": ["a", "list"]}, "password"),
    ({"email": None, "password": None}, "email"),
]


@pytest.mark.parametrize("path", ["/auth/signup", "/auth/token"])
@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
def test_invalid_fields_are_a_422_naming_the_field(api, fake_tenant, path, body, field):
    response = api.post(path, json=body)
    assert response.status_code == 422
    assert any(error["loc"][-1] == field for error in response.json()["detail"])
    assert fake_tenant.requests == []


@pytest.mark.parametrize("path", ["/auth/signup", "/auth/token"])
@pytest.mark.parametrize("content", [b"", b"not json", b"[1, 2]", b'"a string"', b"{\"email\": "])
def test_unreadable_bodies_are_a_4xx(api, fake_tenant, path, content):
    response = api.post(path, content=content, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500
    assert fake_tenant.requests == []


@pytest.mark.parametrize("path", ["/auth/signup", "/auth/token"])
def test_form_bodies_are_refused(api, path):
    response = api.post(path, data={"email": "alice@example.com", "password": "secret-123"})
    assert response.status_code == 422


@pytest.mark.parametrize("path", ["/auth/signup", "/auth/token"])
def test_other_methods_are_a_405(api, path):
    assert api.get(path).status_code == 405


@pytest.mark.parametrize("path", ["/auth/signup", "/auth/token"])
def test_a_422_does_not_repeat_what_was_sent(api, path):
    password = "Too-long-secret-" * 100
    response = api.post(path, json={"email": "not-an-email-" + "x" * 40_000, "password": password})
    assert response.status_code == 422
    assert password not in response.text and "x" * 100 not in response.text
    errors = {error["loc"][-1]: error for error in response.json()["detail"]}
    assert set(errors) == {"email", "password"}
    assert all("input" not in error for error in errors.values())
    assert errors["password"]["ctx"]["max_length"] == 1024  # limits are kept


def chunks(body: bytes, size: int = 8192):
    """A request body streamed without a Content-Length."""
    for start in range(0, len(body), size):
        yield body[start:start + size]


@pytest.mark.parametrize("path", ["/auth/signup", "/auth/token"])
@pytest.mark.parametrize("streamed", [False, True])
def test_bodies_over_64_kib_are_a_413(api, fake_tenant, path, streamed):
    body = json.dumps({"email": "a" * 5_000_000 + "@example.com", "password": "secret-123"}).encode()
    response = api.post(path, content=chunks(body) if streamed else body,
                        headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"] == "Content Too Large"
    assert len(response.content) < 1000
    assert fake_tenant.requests == []


@pytest.mark.parametrize("path", ["/auth/signup", "/auth/token"])
def test_a_streamed_body_under_the_cap_is_read(api, path):
    body = json.dumps({"email": "alice@example.com", "password": "p" * 2000}).encode()
    response = api.post(path, content=chunks(body, 100), headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "password"]
