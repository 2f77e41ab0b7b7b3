"""auth0-python's ManagementClient reads the tenant's logs: search, one event by id, and one user's events."""

import secrets

import httpx
import pytest
from auth0.management import ManagementClient
from auth0.management.core.api_error import ApiError

from tests.https_site import HttpsSite

CONNECTION = "Username-Password-Authentication"


@pytest.fixture
def management(trust_sdk_site: HttpsSite) -> ManagementClient:
    """The SDK with the demo M2M client's credentials, on a loopback site (the whole API)."""
    return ManagementClient(domain=trust_sdk_site.domain, client_id="m2m", client_secret="m2m-secret")


def failed_login(site: HttpsSite, email: str) -> None:
    """A password grant with a wrong password for `email`."""
    with httpx.Client(base_url=site.origin, timeout=20) as client:
        answer = client.post("/oauth/token", data={"grant_type": "password", "username": email, "password": "wrong",
                                                   "client_id": "web-app", "client_secret": "web-app-secret"})
    assert answer.status_code == 403


def test_search_get_and_user_logs(management: ManagementClient, trust_sdk_site: HttpsSite) -> None:
    email = f"logs-{secrets.token_hex(4)}@example.com"
    user = management.users.create(connection=CONNECTION, email=email, password="Logs-user-1!")
    failed_login(trust_sdk_site, email)
    found = list(management.logs.list(search=f'type:fp AND user_name:"{email}"'))
    assert [(event.type, event.user_id, event.client_id) for event in found] == [("fp", user.user_id, "web-app")]
    assert found[0].description == "Wrong email or password." and found[0].ip
    one = management.logs.get(found[0].log_id)
    assert one.log_id == found[0].log_id and one.type == "fp"
    own = list(management.users.logs.list(user.user_id))
    assert found[0].log_id in [event.log_id for event in own]
    management.users.delete(user.user_id)


def test_a_query_it_cannot_read_is_a_400(management: ManagementClient) -> None:
    with pytest.raises(ApiError) as refused:
        list(management.logs.list(search="password:secret"))
    assert refused.value.status_code == 400


def test_an_unknown_log_id_is_a_404(management: ManagementClient) -> None:
    with pytest.raises(ApiError) as missing:
        management.logs.get("900200000000000000000000")
    assert missing.value.status_code == 404
