"""auth0-api-python and auth0-fastapi-api, as their READMEs use them, accept the tenant's tokens and nothing else."""

from collections.abc import Iterator

import httpx
import pytest
from auth0_api_python import ApiClient, ApiClientOptions
from auth0_api_python.errors import VerifyAccessTokenError
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from fastapi_plugin import Auth0FastAPI

from tests.api.tokens import (API_AUDIENCE, access_claims, bearer, client_credentials, new_key, parts, password_grant,
                              sign)
from tests.https_site import HttpsSite
from tests.sdk.conftest import code_flow_token
from tests.event_loops import run_on_a_thread


def protected_api(domain: str) -> FastAPI:
    """The API of auth0-fastapi-api's README: one route for any valid token, one that needs `read:messages`."""
    app = FastAPI()
    auth0 = Auth0FastAPI(domain=domain, audience=API_AUDIENCE)

    @app.get("/api/private")
    async def private(claims: dict = Depends(auth0.require_auth())) -> dict:
        return {"sub": claims["sub"]}

    @app.get("/api/messages")
    async def messages(claims: dict = Depends(auth0.require_auth(scopes="read:messages"))) -> dict:
        return {"sub": claims["sub"], "messages": ["hello"]}

    return app


@pytest.fixture
def api(trust_sdk_site: HttpsSite) -> Iterator[TestClient]:
    """The protected API, configured with the tenant's domain and the playground API's identifier."""
    with TestClient(protected_api(trust_sdk_site.domain)) as client:
        yield client


def tampered(token: str) -> str:
    """The token with one claim changed and its signature kept."""
    header, payload, signature = token.split(".")
    flipped = "A" if payload[10] != "A" else "B"
    return f"{header}.{payload[:10]}{flipped}{payload[11:]}.{signature}"


@pytest.mark.parametrize("grant", ["password", "client_credentials", "code"])
def test_the_protected_route_accepts_each_grants_access_token(api: TestClient, sdk_tenant: httpx.Client,
                                                              grant: str) -> None:
    token = {"password": lambda: password_grant(sdk_tenant, "alice")["access_token"],
             "client_credentials": lambda: client_credentials(sdk_tenant),
             "code": lambda: code_flow_token(sdk_tenant, "alice")}[grant]()
    expected = parts(token)[1]["sub"]
    assert api.get("/api/private", headers=bearer(token)).json() == {"sub": expected}
    assert api.get("/api/messages", headers=bearer(token)).json()["messages"] == ["hello"]


def test_a_tampered_token_is_refused(api: TestClient, sdk_tenant: httpx.Client) -> None:
    token = password_grant(sdk_tenant, "alice")["access_token"]
    answer = api.get("/api/private", headers=bearer(tampered(token)))
    assert answer.status_code == 401
    assert answer.json()["detail"]["error"] == "invalid_token"


def test_a_token_signed_by_another_key_with_the_tenants_issuer_is_refused(api: TestClient,
                                                                          sdk_site: HttpsSite) -> None:
    foreign = sign(access_claims(iss=f"{sdk_site.origin}/"), new_key())
    answer = api.get("/api/private", headers=bearer(foreign))
    assert answer.status_code == 401 and "invalid_token" in answer.headers["www-authenticate"]


def test_a_token_from_another_issuer_is_refused(api: TestClient) -> None:
    foreign = sign(access_claims(iss="https://someone-else.example/"), new_key())
    assert api.get("/api/private", headers=bearer(foreign)).status_code == 401


def test_a_token_without_the_scope_reaches_only_the_route_that_needs_none(api: TestClient,
                                                                          sdk_tenant: httpx.Client) -> None:
    token = password_grant(sdk_tenant, "alice", scope="openid")["access_token"]
    assert api.get("/api/private", headers=bearer(token)).status_code == 200
    refused = api.get("/api/messages", headers=bearer(token))
    assert refused.status_code == 403 and refused.json()["detail"]["error"] == "insufficient_scope"


def test_api_client_verifies_the_tenants_token_as_its_readme_shows(trust_sdk_site: HttpsSite,
                                                                   sdk_tenant: httpx.Client) -> None:
    api_client = ApiClient(ApiClientOptions(domain=trust_sdk_site.domain, audience=API_AUDIENCE))
    token = password_grant(sdk_tenant, "alice")["access_token"]
    claims = run_on_a_thread(api_client.verify_access_token(access_token=token))
    assert claims["iss"] == f"{trust_sdk_site.origin}/" and "read:messages" in claims["scope"].split()
    with pytest.raises(VerifyAccessTokenError):
        run_on_a_thread(api_client.verify_access_token(access_token=tampered(token)))
