"""Sign-in's brute-force counters under attempts that arrive at once."""

from concurrent.futures import ThreadPoolExecutor

from tenant.store.users import MAX_FAILED_LOGINS
from tests.tenant.conftest import password_grant

AT_ONCE = 24


def test_wrong_passwords_sent_at_once_are_counted_before_they_are_checked(tenant):
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        answers = list(pool.map(lambda _: password_grant(tenant, "bob", password="Wrong-guess-1").status_code,
                                range(AT_ONCE)))
    assert sorted(answers) == [403] * MAX_FAILED_LOGINS + [429] * (AT_ONCE - MAX_FAILED_LOGINS)
    assert password_grant(tenant, "bob").status_code == 429

