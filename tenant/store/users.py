"""The tenant's user directory: sign-up, sign-in with brute-force protection, and profile claims."""

import hashlib
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tenant.directory import DEMO_ROLES_BY_NAME, DEMO_USERS
from tenant.security.passwords import Passwords, check_policy
from tenant.security.refused_addresses import RecentlyRefused
from tenant.security.throttle import Throttle, row_key
from tenant.store.accounts import Account, Accounts
from tenant.store.metadata import merged
from tenant.store.roles import Role, Roles
from tenant.store.store import EmailTaken, Store, UserRecord, digest

MAX_FAILED_LOGINS = 10
FAILED_LOGIN_WINDOW = 15 * 60
# Failed logins one address may have per window, whatever the accounts and browsers: a room of 100 behind one Wi-Fi
# can each get a password wrong five times in 15 minutes; an attacker who drops cookies gets no more than that.
MAX_FAILED_LOGINS_PER_ADDRESS = 500
# Failed logins for one account from one address per window, whatever browser ids come with them: far fewer than the
# address ceiling, so that forging a fresh browser id for each guess stops at this many for an account.
MAX_FAILED_LOGINS_PER_ACCOUNT = 30
# The demo accounts, whose passwords the login page shows: a room shares them behind one address, and guessing them
# gains nothing, so only the per-browser lockout and the address ceiling apply to them.
PUBLISHED_ACCOUNTS = frozenset(demo.email.lower() for demo in DEMO_USERS)
# Auth0's description of a login by a user blocked through the Management API.
USER_BLOCKED = "user is blocked"
# No control characters either: a NUL is no part of an address (and PostgreSQL cannot store one).
EMAIL_PATTERN = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]{1,255}\.[^@\s.\x00-\x1f\x7f]{2,63}$")


class SignupError(Exception):
    """A sign-up Auth0 would refuse; `code` is Auth0's error code."""

    def __init__(self, code: str, description: object) -> None:
        super().__init__(code)
        self.code = code
        self.description = description


class LoginBlocked(Exception):
    """Too many failed logins for one user from one browser (or address), or from one address altogether."""

    def __init__(self, email: str, whole_address: bool = False) -> None:
        super().__init__(email)
        self.whole_address = whole_address
        # Auth0's log event: limit_mu when the address's ceiling over every account was reached, else limit_wc.
        self.log_type = "limit_mu" if whole_address else "limit_wc"


@dataclass(frozen=True)
class SignIn:
    """A sign-in's outcome: the user when the credentials match, and the user the email named, if any."""

    user: "User | None"
    named: "User | None" = None


class UserBlocked(LoginBlocked):
    """The right password for a user blocked through the Management API."""

    def __init__(self, email: str) -> None:
        super().__init__(email)
        self.log_type = "f"  # Auth0 logs a blocked user's login as a failed login


def lockout_key(address: str, browser: str | None) -> str:
    """Whose failures count together for one account: one browser at an address, or the address when it sent none."""
    # A room behind one address then cannot lock a shared demo account for each other; the per-address ceiling bounds
    # what fresh browser ids buy an attacker. Kept as a digest, so that any address and browser id fit the row.
    return digest(f"{address} {browser}") if browser else row_key(address)


def failed_logins_per_address() -> Throttle:
    """The ceiling on one address's failed logins over all accounts and browsers."""
    return Throttle("failed-logins", MAX_FAILED_LOGINS_PER_ADDRESS, FAILED_LOGIN_WINDOW)


def failed_logins_per_account() -> Throttle:
    """The ceiling on one account's failed logins from one address, whatever browser ids the caller sends."""
    return Throttle("failed-logins-per-account", MAX_FAILED_LOGINS_PER_ACCOUNT, FAILED_LOGIN_WINDOW)


def attempt_ceilings(email: str, address: str) -> list[tuple[Throttle, str]]:
    """The ceilings a login attempt counts against, each with its subject."""
    ceilings = [(failed_logins_per_address(), address)]
    if email.lower() not in PUBLISHED_ACCOUNTS:
        ceilings.append((failed_logins_per_account(), f"{email.lower()} {address}"))
    return ceilings


@dataclass(frozen=True)
class LoginAttempt:
    """One login attempt's place in the failure counters: counted before the check, taken back when it succeeds."""

    store: Store
    email: str
    key: str
    ceilings: list[tuple[Throttle, str]]

    def count(self) -> None:
        """Count the attempt as failed; LoginBlocked (counting nothing) when a counter is past its limit."""
        with self.store.together():  # writes only: one transaction for every counter
            within_lockout = self.store.record_failed_login(self.email, self.key, FAILED_LOGIN_WINDOW) \
                <= MAX_FAILED_LOGINS
            within_ceilings = [throttle.take(self.store, subject) for throttle, subject in self.ceilings]
        if not (within_lockout and all(within_ceilings)):
            self.take_back()
            raise LoginBlocked(self.email, whole_address=within_lockout and all(within_ceilings[1:]))

    def succeeded(self) -> None:
        """The right password: the account's consecutive failures start again, and the ceilings are not charged."""
        with self.store.together():
            self.store.clear_failed_logins(self.email, self.key)
            self.give_back_ceilings()

    def take_back(self) -> None:
        """Uncount the attempt everywhere."""
        with self.store.together():
            self.store.withdraw_failed_login(self.email, self.key)
            self.give_back_ceilings()

    def give_back_ceilings(self) -> None:
        """Uncount the attempt from the ceilings."""
        for throttle, subject in self.ceilings:
            throttle.give_back(self.store, subject)


def user_id_for(email: str) -> str:
    """A stable 24-hex-digit id, like the ids Auth0's database connections give."""
    return hashlib.sha256(email.lower().encode()).hexdigest()[:24]


DEMO_USER_IDS = frozenset(user_id_for(demo.email) for demo in DEMO_USERS)


def iso_time(timestamp: float) -> str:
    """Auth0's timestamp format, e.g. 2026-11-22T13:50:00.000Z."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass(frozen=True)
class User:
    """A signed-up user as the rest of the tenant sees it."""

    record: UserRecord
    profile: dict = field(default_factory=dict)
    roles: tuple[str, ...] = ()
    role_permissions: tuple[str, ...] = ()
    account: Account = Account()

    @property
    def sub(self) -> str:
        """The user's subject identifier."""
        return f"auth0|{self.record.id}"

    @property
    def permissions(self) -> tuple[str, ...]:
        """Permissions on the tenant's API (RBAC): those of the user's roles and those given to it directly."""
        return tuple(dict.fromkeys(self.role_permissions + self.record.permissions))

    @property
    def user_metadata(self) -> dict:
        """What the user may keep about themselves (Auth0's user_metadata)."""
        return self.profile.get("user_metadata") or {}

    @property
    def app_metadata(self) -> dict:
        """What applications keep about the user (Auth0's app_metadata), never editable by the user."""
        return self.profile.get("app_metadata") or {}

    def get_user_id(self) -> str:
        """The id authlib's grants ask for."""
        return self.record.id

    def claims(self, scopes: set[str], issuer: str) -> dict:
        """OpenID Connect profile and email claims for the granted scopes."""
        claims: dict = {}
        if "profile" in scopes:
            initials = "".join(part[0] for part in self.record.name.split()[:2]).lower() or "u"
            names = {key: self.profile[key] for key in ("given_name", "family_name") if key in self.profile}
            claims.update(
                **names, nickname=self.record.nickname, name=self.record.name,
                picture=self.profile.get("picture") or f"{issuer}avatars/{initials}.svg",
                updated_at=iso_time(self.record.updated_at),
            )
        if "email" in scopes:
            claims.update(email=self.record.email, email_verified=self.record.email_verified)
        return claims


class Users:
    """Sign-up and sign-in against the tenant's database connection."""

    def __init__(self, store: Store, passwords: Passwords, api_identifier: str) -> None:
        self.store = store
        self.passwords = passwords
        self.api_identifier = api_identifier
        self.accounts = Accounts(store)
        self.roles = Roles(store)
        self.refused_addresses = RecentlyRefused()

    def seed_demo_users(self) -> None:
        """Create the demo roles and users once; at each start, the demo users hold their roles and nothing else."""
        self.roles.seed_demo_roles(self.api_identifier)
        for demo in DEMO_USERS:
            record = self.store.user_by_email(demo.email)
            if record is None:
                try:
                    record = self._insert(demo.email, demo.password, demo.name, (), verified=True).record
                except EmailTaken:
                    continue  # another worker seeded it first, and gives it its roles
            if record.permissions:
                self.store.set_direct_permissions(record.id, ())  # given directly before roles existed
            self.roles.assign(record.id, [DEMO_ROLES_BY_NAME[name].id for name in demo.roles])

    def _insert(self, email: str, password: str, name: str, permissions: tuple[str, ...], verified: bool,
                profile: dict | None = None) -> User:
        now = time.time()
        user_id = user_id_for(email) if verified else secrets.token_hex(12)
        profile = profile or {}
        record = UserRecord(
            id=user_id, email=email.lower(), password_hash=self.passwords.hash(password, remember=True),
            name=profile.get("name", name), nickname=profile.get("nickname", email.split("@", 1)[0]),
            permissions=permissions, email_verified=verified, created_at=now, updated_at=now,
        )
        self.store.add_user(record)
        extra = {key: value for key, value in profile.items() if key not in ("name", "nickname")}
        if extra:
            self.store.put_profile(user_id, extra)
        return User(record, extra)

    def sign_up(self, email: object, password: object, profile: dict | None = None) -> User:
        """Create a user; raise SignupError with Auth0's code when it cannot be done."""
        if not isinstance(email, str) or not EMAIL_PATTERN.match(email):
            raise SignupError("invalid_signup", "Invalid sign up")
        if not isinstance(password, str) or not password:
            raise SignupError("invalid_password", "Password is required")
        policy = check_policy(password)
        if not policy.ok:
            raise SignupError("invalid_password", policy.as_auth0_description())
        try:
            return self._insert(email, password, email, (), verified=False, profile=profile)
        except EmailTaken:
            raise SignupError("user_exists", "The user already exists.") from None

    def sign_in(self, email: object, password: object, address: str, browser: str | None = None) -> User | None:
        """The user if the credentials match; None if not; LoginBlocked after too many failures."""
        return self.authenticate(email, password, address, browser).user

    def authenticate(self, email: object, password: object, address: str, browser: str | None = None) -> SignIn:
        """Check credentials (see sign_in), saying also which user a failed attempt named, if one exists."""
        # Failures count per account and browser (per account and address for a caller without a browser id), per
        # account and address whatever the browser, and per address across every account. Each attempt is counted
        # as failed before its password is checked, in one statement per counter, so that attempts sent at once
        # cannot all pass a check of the count made before any of them failed.
        if not isinstance(email, str) or not isinstance(password, str) or len(email) > 320 or len(password) > 512:
            return SignIn(None)
        if self.refused_addresses.refused(address):
            raise LoginBlocked(email, whole_address=True)
        attempt = LoginAttempt(self.store, email, lockout_key(address, browser), attempt_ceilings(email, address))
        try:
            attempt.count()
        except LoginBlocked as blocked:
            if blocked.whole_address:
                self.refused_addresses.remember(address)
            raise
        try:
            record = self.store.user_by_email(email)
            if record is not None and self.passwords.verify(record.password_hash, password):
                attempt.succeeded()
                if self.accounts.account(record.id).blocked:
                    raise UserBlocked(email)
                self.accounts.record_login(record.id, address)
                user = self.user(record)
                return SignIn(user, user)
            if record is None:
                self.passwords.hash(password)  # the same cost whether or not the user exists
        except UserBlocked:
            raise
        except Exception:
            attempt.take_back()  # not checked (the hash pool is busy, the database failed): not a failure
            raise
        return SignIn(None, User(record) if record is not None else None)

    def create(self, email: str, password_hash: str, profile: dict, verified: bool, created_by: str | None,
               blocked: bool = False) -> User:
        """A user made through the Management API by `created_by` (None: the tenant); EmailTaken if in use."""
        now = time.time()
        user_id = secrets.token_hex(12)
        self.store.add_user(UserRecord(
            id=user_id, email=email.lower(), password_hash=password_hash, name=profile.get("name", email),
            nickname=profile.get("nickname", email.split("@", 1)[0]), permissions=(), email_verified=verified,
            created_at=now, updated_at=now))
        extra = {key: value for key, value in profile.items() if key not in ("name", "nickname")}
        if extra:
            self.store.put_profile(user_id, extra)
        self.accounts.create(user_id, created_by, blocked)
        return self.by_id(user_id)

    def by_id(self, user_id: str) -> User | None:
        """The user with that id, if any."""
        record = self.store.user_by_id(user_id)
        return self.user(record) if record else None

    def user(self, record: UserRecord) -> User:
        """The user of a record, with its profile, roles, role permissions on the tenant's API, and account."""
        with self.store.together():  # reads only
            held = self.roles.of_user(record.id)
            granted = self.roles.permissions([role.id for role in held])
            return User(record, self.store.profile(record.id), tuple(role.name for role in held),
                        tuple(name for identifier, name in granted if identifier == self.api_identifier),
                        self.accounts.account(record.id))

    def merge_metadata(self, user_id: str, user_metadata: object = None, app_metadata: object = None) -> dict:
        """Merge metadata as Auth0's PATCH does (MetadataError if refused); the profile it leaves."""
        def change(profile: dict) -> dict:
            for name, patch in (("user_metadata", user_metadata), ("app_metadata", app_metadata)):
                if patch is not None:
                    profile[name] = merged(name, profile.get(name) or {}, patch)
                    if not profile[name]:
                        del profile[name]
            return profile
        return self.accounts.update_profile(user_id, change)

    def roles_of(self, user_id: str) -> list[Role]:
        """The roles the user holds."""
        return self.roles.of_user(user_id)
