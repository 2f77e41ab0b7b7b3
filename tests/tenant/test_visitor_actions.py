"""Visitors' own Actions: a pool apart from the operator's, one run per visitor at a time, none of the tenant's
secrets."""

import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from main import create_app
from tenant.actions.engine import ActionDenied, ActionEngine
from tenant.actions.visitors import VISITOR_BUSY, VisitorActions
from tenant.store.visitor_actions import VisitorActionStore
from tests.conftest import builtin_settings, claims_of
from tests.tenant.conftest import password_grant

LOOP = "exports.onExecutePostLogin = async () => { for (;;) {} };"
SECRETS_SEEN = """exports.onExecutePostLogin = async (event, api) => {
  api.accessToken.setCustomClaim("https://tests.example/secrets", Object.keys(event.secrets));
};"""
CLAIM = "https://tests.example/secrets"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A site whose operator has a secret."""
    settings = builtin_settings(tmp_path_factory.mktemp("visitors"), tenant_action_secrets={"API_KEY": "k-1"})
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def visitors(site) -> Iterator[VisitorActions]:
    """Visitor Actions with a short time limit, on the site's store."""
    started = VisitorActions.started(VisitorActionStore(site.app.state.builtin_tenant.tenant.store), time_limit=2.0)
    yield started
    started.close()


def test_a_visitor_holds_one_run_at_a_time_and_the_operators_pool_goes_on(visitors) -> None:
    event = {"user": {"user_id": "auth0|v"}, "request": {"ip": "127.0.0.1"}}
    looping = threading.Thread(target=visitors.test, args=("v", LOOP, event, {}))
    looping.start()
    while not visitors._running:  # the loop has taken the visitor's one run
        looping.join(0.01)
    with pytest.raises(ActionDenied) as refused:
        visitors.test("v", LOOP, event, {})
    assert refused.value.description == VISITOR_BUSY
    operator = ActionEngine((SECRETS_SEEN,))
    try:
        assert operator.run({"user": {}}).claims.access == {CLAIM: []}
    finally:
        operator.close()
    looping.join()
    assert visitors.test("v", SECRETS_SEEN, {**event, "secrets": {}}, {})["access"] == {CLAIM: "[]"}


def test_deployed_actions_never_see_the_operators_secrets(site) -> None:
    tenant = site.app.state.builtin_tenant.tenant
    alice = tenant.users.store.user_by_email("alice@example.com")
    VisitorActionStore(tenant.store).deploy(alice.id, "secrets", SECRETS_SEEN)
    assert claims_of(password_grant(site).json()["access_token"])[CLAIM] == []
