"""Step 16's backend, with auth0-python's ManagementClient, against the tenant over https (a loopback site)."""

import pytest

from tests.https_site import HttpsSite
from tutorials.management_api.backend import assign_role, find_user, management_client, set_plan


@pytest.fixture
def backend(trust_sdk_site: HttpsSite):
    """The step's Management API client with the demo M2M credentials."""
    return management_client(trust_sdk_site.domain, "m2m", "m2m-secret")


def test_read_a_user_set_app_metadata_assign_a_role(backend) -> None:
    bob = find_user(backend, "bob@example.com")
    assert bob["email"] == "bob@example.com" and bob["user_id"].startswith("auth0|")
    backend.users.update(bob["user_id"], app_metadata={"team": "blue"})
    assert set_plan(backend, bob["user_id"], "pro") == {"team": "blue", "plan": "pro"}
    assign_role(backend, bob["user_id"], "reader")
    assert find_user(backend, "bob@example.com")["roles"] == ["reader"]
    backend.users.roles.delete(bob["user_id"], roles=["rol_PlaygroundReader"])
    backend.users.update(bob["user_id"], app_metadata={})


def test_the_admins_roles(backend) -> None:
    assert find_user(backend, "admin@example.com")["roles"] == ["admin"]
