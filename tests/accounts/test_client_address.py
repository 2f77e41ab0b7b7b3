"""The tenant's per-address lockout counts the address the platform's router saw, whatever the client claims."""

import uuid

from fastapi.testclient import TestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

ROUTER_SAW = "198.51.100.23"


def test_rotating_the_left_most_forwarded_entry_does_not_escape_the_lockout(site):
    # As deployed: uvicorn with --forwarded-allow-ips='*' reports the left-most entry, which the client writes.
    behind_router = TestClient(ProxyHeadersMiddleware(site.app, trusted_hosts="*"))
    wrong = {"email": f"user-{uuid.uuid4().hex[:10]}@example.com", "password": "not-the-password-1"}
    answers = [
        behind_router.post("/auth/token", json=wrong,
                           headers={"x-forwarded-for": f"10.0.0.{number}, {ROUTER_SAW}"}).status_code
        for number in range(11)
    ]
    assert answers == [401] * 10 + [429]


def test_the_tenant_is_told_the_right_most_forwarded_entry(api, fake_tenant):
    fake_tenant.answer(200, {"access_token": "eyJ.header.sig", "token_type": "Bearer", "expires_in": 86400})
    api.post("/auth/token", json={"email": "alice@example.com", "password": "alice-demo-1"},
             headers={"x-forwarded-for": f"10.0.0.1, {ROUTER_SAW}"})
    assert fake_tenant.requests[0].headers["auth0-forwarded-for"] == ROUTER_SAW
