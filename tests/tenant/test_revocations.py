"""Revoked grants: refused at once by the worker that revoked them, and by every other within a reload."""


from settings import Settings
from storage import Database
from tenant.store.revocations import RevokedGrants
from tenant.store.store import Store
from tests.event_loops import run_on_a_thread


def test_a_grant_revoked_by_another_worker_is_refused_after_its_reload(tmp_path, database_url):
    store = Store(Database(Settings(_env_file=None, data_dir=tmp_path, database_url=database_url).storage_url))
    here, there = RevokedGrants(store, 60), RevokedGrants(store, 60, reload_interval=0)
    token = {"jti": "grant-1.token-1"}
    assert not run_on_a_thread(there.token_is_revoked(token))
    here.revoke("grant-1")
    assert run_on_a_thread(here.token_is_revoked(token)), "at once where it was revoked"
    assert run_on_a_thread(there.token_is_revoked(token)), "elsewhere once the list is read again"
    assert not run_on_a_thread(there.token_is_revoked({"jti": "grant-2.token-1"}))
    assert not run_on_a_thread(there.token_is_revoked({"sub": "a token without jti"}))
    assert here.is_revoked("grant-1") and not here.is_revoked("grant-2")
