"""The machine-to-machine client sends client credentials, then calls the API with the token it got."""

import json

import httpx

from tutorials.machine_to_machine.client import get_machine_token, read_messages

TENANT_URL = "https://tenant.example"


def fake_tenant_and_api(request: httpx.Request) -> httpx.Response:
    """The tenant's token endpoint and the API's scoped endpoint."""
    if request.url == f"{TENANT_URL}/oauth/token":
        body = json.loads(request.content)
        assert body == {"grant_type": "client_credentials", "client_id": "m2m", "client_secret": "m2m-secret",
                        "audience": "https://playground/api"}
        return httpx.Response(200, json={"access_token": "machine-token", "token_type": "Bearer"})
    assert request.url == "https://api.example/api/scoped"
    if request.headers.get("authorization") != "Bearer machine-token":
        return httpx.Response(401)
    return httpx.Response(200, json={"message": "hello, m2m@clients"})


def test_client_credentials_then_api_call() -> None:
    with httpx.Client(transport=httpx.MockTransport(fake_tenant_and_api)) as client:
        token = get_machine_token(client, TENANT_URL, "m2m", "m2m-secret", "https://playground/api")
        assert read_messages(client, "https://api.example", token) == {"message": "hello, m2m@clients"}
