"""Bad bodies get a clear 4xx naming the problem, never a 500, and never reach the tenant."""

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
