"""Password hashing (Argon2id) on the hash pool, the password policy, and a short memory of recent good logins."""

import hashlib
import hmac
import secrets
import string
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tenant.security.hashing import HashPool

# OWASP's minimum Argon2id configuration: 19 MiB of memory, two passes.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
REMEMBERED_LOGINS = 10_000
MIN_LENGTH = 8
MAX_LENGTH = 128
REQUIRED_CHARACTER_KINDS = 3
POLICY_TEXT = (
    "* At least 8 characters in length\n"
    "* Contain at least 3 of the following 4 types of characters:\n"
    " * lower case letters (a-z)\n * upper case letters (A-Z)\n * numbers (i.e. 0-9)\n"
    " * special characters (e.g. !@#$%^&*)"
)


def verify_hash(password_hash: str, password: str) -> bool:
    """True when the password matches its Argon2id hash (on the calling thread)."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class PolicyResult:
    """Which rules of the policy a password meets."""

    long_enough: bool
    kinds_present: dict[str, bool]

    @property
    def ok(self) -> bool:
        """True when the password meets the whole policy."""
        return self.long_enough and sum(self.kinds_present.values()) >= REQUIRED_CHARACTER_KINDS

    def as_auth0_description(self) -> dict:
        """The rule list Auth0 returns with `invalid_password`."""
        kinds = [
            {"message": name, "code": code, "verified": present}
            for (name, code), present in zip(
                (("lower case letters (a-z)", "lowerCase"), ("upper case letters (A-Z)", "upperCase"),
                 ("numbers (i.e. 0-9)", "numbers"), ("special characters (e.g. !@#$%^&*)", "specialCharacters")),
                self.kinds_present.values(),
            )
        ]
        return {
            "rules": [
                {"message": "At least %d characters in length", "format": [MIN_LENGTH], "code": "lengthAtLeast",
                 "verified": self.long_enough},
                {"message": "Contain at least %d of the following %d types of characters:",
                 "format": [REQUIRED_CHARACTER_KINDS, 4], "code": "containsAtLeast",
                 "verified": sum(self.kinds_present.values()) >= REQUIRED_CHARACTER_KINDS, "items": kinds},
            ],
            "verified": self.ok,
        }


def check_policy(password: str) -> PolicyResult:
    """Measure a password against the tenant's policy (Auth0's "Good" strength)."""
    return PolicyResult(
        long_enough=MIN_LENGTH <= len(password) <= MAX_LENGTH,
        kinds_present={
            "lower": any(c in string.ascii_lowercase for c in password),
            "upper": any(c in string.ascii_uppercase for c in password),
            "digits": any(c in string.digits for c in password),
            "special": any(not c.isalnum() for c in password),
        },
    )


class Passwords:
    """Hashes passwords and verifies them on the hash pool, remembering recent successes for a few minutes."""
    # A full Argon2id verification costs tens of milliseconds by design. Sign-ins repeated within minutes (a workshop
    # room, a client polling for tokens, the first login right after sign-up) are recognised by a keyed digest held
    # only in memory, at most `capacity` of them; a wrong password always pays for the full hash. Hashing and
    # verifying raise HashingBusy when the pool's queue is full.

    def __init__(self, pool: HashPool, ttl: float = 300.0, capacity: int = REMEMBERED_LOGINS) -> None:
        self.pool = pool
        self._key = secrets.token_bytes(32)
        self._ttl = ttl
        self._capacity = capacity
        self._recent: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self._lock = threading.Lock()

    def _fingerprint(self, password_hash: str, password: str) -> bytes:
        return hmac.new(self._key, f"{password_hash}\0{password}".encode(), hashlib.sha256).digest()

    def __len__(self) -> int:
        """How many recent good logins are remembered."""
        return len(self._recent)

    def hash(self, password: str, remember: bool = False) -> str:
        """An Argon2id hash of the password; `remember` (a password just chosen) spares the first login a hash."""
        password_hash = self.pool.run(HASHER.hash, password)
        if remember:
            self._remember(password_hash, self._fingerprint(password_hash, password))
        return password_hash

    def verify(self, password_hash: str, password: str) -> bool:
        """True when `password` matches `password_hash`."""
        fingerprint = self._fingerprint(password_hash, password)
        with self._lock:
            remembered = self._recent.get(password_hash)
        if remembered and remembered[1] > time.monotonic() and hmac.compare_digest(remembered[0], fingerprint):
            return True
        if not self.pool.run(verify_hash, password_hash, password):
            return False
        self._remember(password_hash, fingerprint)
        return True

    def _remember(self, password_hash: str, fingerprint: bytes) -> None:
        with self._lock:
            self._recent[password_hash] = (fingerprint, time.monotonic() + self._ttl)
            self._recent.move_to_end(password_hash)
            while len(self._recent) > self._capacity:
                self._recent.popitem(last=False)
