"""The demo users hold the tenant's fixed permissions, whatever their stored record says."""

import time
from dataclasses import replace

from tenant.store.store import UserRecord
from tenant.store.users import User, user_id_for


def test_admin_holds_read_room_even_when_the_tenant_data_predates_it() -> None:
    now = time.time()
    seeded_before = UserRecord(id=user_id_for("admin@example.com"), email="admin@example.com", password_hash="x",
                               name="Admin Example", nickname="admin", permissions=("read:messages", "admin:messages"),
                               email_verified=True, created_at=now, updated_at=now)
    assert User(seeded_before).permissions == ("read:messages", "admin:messages", "read:room")
    signed_up = replace(seeded_before, id="0123456789abcdef01234567", email="someone@example.com", permissions=())
    assert User(signed_up).permissions == ()
