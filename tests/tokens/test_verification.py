"""The fastapi-auth0 adapter itself: built without network I/O, strict about http://, and thrifty with refreshes."""

import socket

import pytest
from fastapi import FastAPI, Security
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey

from tests.api import tokens
from tests.event_loops import run_on_a_thread
from tokens import verification
from tokens.verification import Auth0, Auth0User


def test_building_it_touches_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network I/O while building Auth0")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    auth = Auth0(domain="my-tenant.eu.auth0.com", api_audience="https://playground/api", scopes={"read:messages": ""})
    assert auth.issuer == "https://my-tenant.eu.auth0.com/"
    assert auth.implicit_scheme.model.flows.implicit.authorizationUrl == (
        "https://my-tenant.eu.auth0.com/authorize?audience=https%3A%2F%2Fplayground%2Fapi")


def test_plain_http_only_for_a_local_tenant_or_in_process_keys() -> None:
    with pytest.raises(ValueError, match="only the built-in tenant"):
        Auth0(domain="http://my-tenant.eu.auth0.com", api_audience="https://playground/api")
    with pytest.raises(ValueError, match="only the built-in tenant"):
        Auth0(domain="http://127.0.0.1.example.org/tenant", api_audience="https://playground/api")
    in_process = Auth0(domain="http://testserver", api_audience="https://playground/api",
                       jwks_source=lambda: {"keys": []})
    assert in_process.issuer == "http://testserver/"
    for local in ("http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]:8000/tenant"):
        assert Auth0(domain=local, api_audience="https://playground/api").issuer == f"{local}/"


def test_unknown_kids_refresh_the_keys_at_most_once_a_second(test_key: RSAKey) -> None:
    fetches: list[int] = []

    def jwks() -> dict:
        fetches.append(1)
        return {"keys": [test_key.as_dict(private=False)]}

    auth = Auth0(domain="http://testserver", api_audience=tokens.API_AUDIENCE, jwks_source=jwks)

    stranger = tokens.new_key()
    foreign = [tokens.sign(tokens.access_claims(), stranger, kid=f"random-{n}") for n in range(20)]
    genuine = tokens.sign(tokens.access_claims(), test_key)

    async def verify_many() -> None:
        await auth.verify(genuine)
        for token in foreign:
            with pytest.raises(Exception, match="not one of the signing keys"):
                await auth.verify(token)

    run_on_a_thread(verify_many())
    assert len(fetches) == 1


def test_auto_error_off_gives_none_instead_of_401(test_key: RSAKey) -> None:
    auth = Auth0(domain="http://testserver", api_audience=tokens.API_AUDIENCE, auto_error=False,
                 jwks_source=lambda: {"keys": [test_key.as_dict(private=False)]})
    app = FastAPI()

    @app.get("/maybe")
    async def maybe(user: Auth0User | None = Security(auth.get_user)) -> dict[str, str | None]:
        return {"user": user.id if user else None}

    client = TestClient(app)
    assert client.get("/maybe").json() == {"user": None}
    assert client.get("/maybe", headers=tokens.bearer("garbage")).json() == {"user": None}
    token = tokens.sign(tokens.access_claims(), test_key)
    assert client.get("/maybe", headers=tokens.bearer(token)).json() == {"user": "auth0|forged"}


def test_the_memory_of_verified_tokens_keeps_at_most_its_capacity(test_key: RSAKey, monkeypatch) -> None:
    monkeypatch.setattr(verification, "VERIFIED_CACHE_SIZE", 8)
    auth = Auth0(domain="http://testserver", api_audience=tokens.API_AUDIENCE,
                 jwks_source=lambda: {"keys": [test_key.as_dict(private=False)]})
    issued = [tokens.sign({**tokens.access_claims(), "jti": str(n)}, test_key) for n in range(20)]

    async def verify_all() -> None:
        for token in issued:
            await auth.verify(token)
        await auth.verify(issued[0])

    run_on_a_thread(verify_all())
    assert len(auth._verified) == 8
