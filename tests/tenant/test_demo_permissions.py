"""The demo users hold the tenant's fixed permissions through their roles, whatever their stored record says."""

from settings import Settings
from storage import Database
from tenant.security.hashing import HashPool
from tenant.security.passwords import Passwords
from tenant.store.store import Store
from tenant.store.users import Users, user_id_for
from tests.tenant.conftest import API


def demo_users(database: Database) -> Users:
    """The tenant's users as a start of the site sees them, seeded."""
    users = Users(Store(database), Passwords(HashPool(1)), API)
    users.seed_demo_users()
    return users


def test_admin_holds_read_room_even_when_the_tenant_data_predates_it(tmp_path, database_url) -> None:
    database = Database(Settings(_env_file=None, data_dir=tmp_path, database_url=database_url).storage_url)
    users = demo_users(database)
    admin = user_id_for("admin@example.com")
    users.store.set_direct_permissions(admin, ("read:messages", "admin:messages"))  # as seeded before roles
    users.roles.unassign(admin, [role.id for role in users.roles_of(admin)])
    users = demo_users(database)
    seeded = users.by_id(admin)
    assert set(seeded.permissions) == {"read:messages", "admin:messages", "read:room"}
    assert (seeded.roles, seeded.record.permissions) == (("admin",), ())
    assert users.by_id(user_id_for("alice@example.com")).roles == ("reader",)
    assert users.by_id(user_id_for("bob@example.com")).permissions == ()
    users.passwords.pool.shutdown()
