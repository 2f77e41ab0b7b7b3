"""Second-factor attempts count toward the same lockout as passwords: a wrong code is a failed login."""

from collections.abc import Callable

from tenant.store.store import Store
from tenant.store.users import LoginAttempt, attempt_ceilings, lockout_key


def checked_with_lockout(store: Store, email: str, address: str, browser: str | None,
                         check: Callable[[], bool]) -> bool:
    """Run `check` as one login attempt for this account: counted first, uncounted when right; LoginBlocked when
    the account is locked for this browser or address."""
    attempt = LoginAttempt(store, email, lockout_key(address, browser), attempt_ceilings(email, address))
    attempt.count()
    try:
        right = check()
    except Exception:
        attempt.take_back()
        raise
    if right:
        attempt.succeeded()
    return right
