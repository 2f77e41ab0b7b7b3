"""The tenant's state in one database (SQLite or PostgreSQL), safe to share between workers and instances."""

import hashlib
import json
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy import Column, Connection, Delete, Insert, Row, Select, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage import Database, PreparedUpsert, upsert
from tenant.store import failure_counters as counters
from tenant.store.tables import (
    SCHEMA_VERSION, UPGRADES, consents, failed_logins, grants, login_transactions, metadata, password_resets,
    refresh_tokens, signing_keys, user_profiles, users, visitor_actions,
)

PURGE_INTERVAL = 5 * 60
# Failed-login rows are kept longer than any lockout window, then purged.
FAILED_LOGIN_RETENTION = 60 * 60


def digest(secret: str) -> str:
    """What is stored in place of a bearer secret (code, session id, refresh token)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class UserRecord:
    """A user as stored, password hash included."""

    id: str
    email: str
    password_hash: str
    name: str
    nickname: str
    permissions: tuple[str, ...]
    email_verified: bool
    created_at: float
    updated_at: float

    @classmethod
    def from_row(cls, row: Row) -> "UserRecord":
        """Build from a `users` row."""
        return cls(
            id=row.id, email=row.email, password_hash=row.password_hash, name=row.name, nickname=row.nickname,
            permissions=tuple(row.permissions.split()), email_verified=bool(row.email_verified),
            created_at=row.created_at, updated_at=row.updated_at,
        )


class EmailTaken(Exception):
    """A user with that email already exists."""



# Statements every sign-up or login runs, built once with bound parameters.
USER_BY_ID: Select = select(users).where(users.c.id == bindparam("key"))
USER_BY_EMAIL: Select = select(users).where(users.c.email == bindparam("key"))
ADD_USER: Insert = insert(users)
CONSENTED: Select = select(consents.c.scope).where(
    consents.c.user_id == bindparam("holder"), consents.c.client_id == bindparam("consent_client"),
    consents.c.audience == bindparam("consent_audience"))
PROFILE: Select = select(user_profiles.c.data).where(user_profiles.c.user_id == bindparam("key"))
LIVE_GRANT: Select = select(grants.c.data).where(grants.c.kind == bindparam("grant_kind"),
                                                 grants.c.digest == bindparam("key"),
                                                 grants.c.expires_at > bindparam("now"))
SPEND_GRANT = (update(grants).where(grants.c.kind == bindparam("grant_kind"), grants.c.digest == bindparam("key"),
                                    grants.c.expires_at > bindparam("now"))
               .values(kind=bindparam("spent_kind"), expires_at=bindparam("kept_until")).returning(grants.c.data))
LIVE_LOGIN: Select = select(login_transactions.c.data).where(login_transactions.c.digest == bindparam("key"),
                                                             login_transactions.c.expires_at > bindparam("now"))
DROP_LOGIN = delete(login_transactions).where(login_transactions.c.digest == bindparam("key"))
ADD_LOGIN = insert(login_transactions).values(
    digest=bindparam("key"), browser=bindparam("login_browser"), address=bindparam("login_address"),
    data=bindparam("login_data"), created_at=bindparam("now"), expires_at=bindparam("expires"))


def pending_logins_of(column: Column) -> tuple[Select, Delete]:
    """How many pending logins one browser (or address) holds, and the statement keeping only its `cap` newest."""
    pending = login_transactions.c
    newest = (select(pending.digest).where(column == bindparam("holder"))
              .order_by(pending.created_at.desc(), pending.digest).limit(bindparam("cap")))
    return (select(func.count()).where(column == bindparam("holder")),
            delete(login_transactions).where(column == bindparam("holder"), pending.digest.not_in(newest)))


PENDING_OF_BROWSER = pending_logins_of(login_transactions.c.browser)
PENDING_OF_ADDRESS = pending_logins_of(login_transactions.c.address)


# A grant kept, or replaced, under its digest.
PUT_GRANT = PreparedUpsert(
    grants, {"kind": bindparam("grant_kind"), "digest": bindparam("key"), "data": bindparam("grant_data"),
             "user_id": bindparam("grant_user"), "expires_at": bindparam("expires")}, ["kind", "digest"],
    lambda new: {"data": new.data, "user_id": new.user_id, "expires_at": new.expires_at})
# The scopes a user has granted a client at an API so far, and when.
ADD_CONSENT = PreparedUpsert(
    consents, {"user_id": bindparam("holder"), "client_id": bindparam("consent_client"),
               "audience": bindparam("consent_audience"), "scope": bindparam("granted"), "granted_at": bindparam("at")},
    ["user_id", "client_id", "audience"], lambda new: {"scope": new.scope, "granted_at": new.granted_at})


class Store:
    """Every read and write of the tenant's state, one short transaction each."""

    def __init__(self, database: Database, purge_interval: float = PURGE_INTERVAL) -> None:
        self.database = database
        self.purge_interval = purge_interval
        database.bootstrap("tenant", metadata, SCHEMA_VERSION, UPGRADES)
        self.purge_expired()

    def transaction(self, exclusive: bool = False) -> AbstractContextManager[Connection]:
        """A transaction on the tenant's database (see Database.transaction)."""
        return self.database.transaction(exclusive)

    def together(self) -> AbstractContextManager[None]:
        """The store calls made inside run in one transaction (see Database.together)."""
        return self.database.together()

    # Users

    def add_user(self, record: UserRecord) -> None:
        """Insert a user; raise EmailTaken if the email is in use (in any case)."""
        try:
            with self.transaction() as db:
                db.execute(ADD_USER, {
                    "id": record.id, "email": record.email.lower(), "password_hash": record.password_hash,
                    "name": record.name, "nickname": record.nickname, "permissions": " ".join(record.permissions),
                    "email_verified": record.email_verified, "created_at": record.created_at,
                    "updated_at": record.updated_at})
        except IntegrityError:
            raise EmailTaken(record.email) from None

    def user_by_email(self, email: str) -> UserRecord | None:
        """The user with this email (any case), if any."""
        return self._user(USER_BY_EMAIL, email.lower())

    def user_by_id(self, user_id: str) -> UserRecord | None:
        """The user with this id, if any."""
        return self._user(USER_BY_ID, user_id)

    def _user(self, query: Select, key: str) -> UserRecord | None:
        with self.transaction() as db:
            row = db.execute(query, {"key": key}).first()
        return UserRecord.from_row(row) if row else None

    def set_password(self, user_id: str, password_hash: str) -> None:
        """Replace a user's password hash."""
        with self.transaction() as db:
            db.execute(update(users).where(users.c.id == user_id)
                       .values(password_hash=password_hash, updated_at=time.time()))

    def set_direct_permissions(self, user_id: str, permissions: tuple[str, ...]) -> None:
        """Replace the permissions given to the user directly (not through a role)."""
        with self.transaction() as db:
            db.execute(update(users).where(users.c.id == user_id).values(permissions=" ".join(permissions)))

    def update_user(self, user_id: str, **values: object) -> None:
        """Change columns of a user (email, name, nickname, email_verified, password_hash); EmailTaken if in use."""
        try:
            with self.transaction() as db:
                db.execute(update(users).where(users.c.id == user_id).values(**values, updated_at=time.time()))
        except IntegrityError:
            raise EmailTaken(str(values.get("email"))) from None

    def delete_user(self, user_id: str) -> None:
        """Delete a user and every credential, consent and deployed Action it holds."""
        with self.transaction() as db:
            for table, column in ((grants, grants.c.user_id), (refresh_tokens, refresh_tokens.c.user_id),
                                  (password_resets, password_resets.c.user_id), (consents, consents.c.user_id),
                                  (user_profiles, user_profiles.c.user_id),
                                  (visitor_actions, visitor_actions.c.user_id), (users, users.c.id)):
                db.execute(delete(table).where(column == user_id))

    def users_page(self, condition, order, offset: int, limit: int) -> tuple[list[UserRecord], int]:
        """One page of the users matching `condition` in `order`, and how many match in all."""
        with self.transaction() as db:
            total = db.scalar(select(func.count()).select_from(users).where(condition))
            rows = db.execute(select(users).where(condition).order_by(*order).offset(offset).limit(limit))
            return [UserRecord.from_row(row) for row in rows], total

    def put_profile(self, user_id: str, profile: dict) -> None:
        """Keep the sign-up profile attributes that have no column (given_name, user_metadata...)."""
        values = {"user_id": user_id, "data": json.dumps(profile)}
        with self.transaction() as db:
            upsert(db, user_profiles, values, ["user_id"], lambda new: {"data": new.data})

    def profile(self, user_id: str) -> dict:
        """The user's extra profile attributes."""
        with self.transaction() as db:
            data = db.scalar(PROFILE, {"key": user_id})
        return json.loads(data) if data else {}

    # Consents: the scopes a user has let an application use at an API

    def consented_scopes(self, user_id: str, client_id: str, audience: str) -> frozenset[str]:
        """The scopes the user has granted the client at this API so far."""
        with self.transaction() as db:
            return self._consented(db, user_id, client_id, audience)

    def add_consent(self, user_id: str, client_id: str, audience: str, scopes: frozenset[str]) -> None:
        """Remember that the user granted these scopes too (earlier grants stay)."""
        # Read, then write: exclusive, so that two answers at once neither fail on SQLite nor lose a scope.
        with self.transaction(exclusive=True) as db:
            granted = " ".join(sorted(scopes | self._consented(db, user_id, client_id, audience)))
            ADD_CONSENT.execute(db, {
                "holder": user_id, "consent_client": client_id, "consent_audience": audience, "granted": granted,
                "at": time.time()})

    @staticmethod
    def _consented(db: Connection, user_id: str, client_id: str, audience: str) -> frozenset[str]:
        scope = db.scalar(CONSENTED, {"holder": user_id, "consent_client": client_id, "consent_audience": audience})
        return frozenset((scope or "").split())

    # Signing keys

    def signing_keys(self) -> list[Row]:
        """All signing keys, newest first."""
        with self.transaction() as db:
            return list(db.execute(select(signing_keys).order_by(signing_keys.c.created_at.desc())))

    def newest_key(self) -> Row | None:
        """The key tokens are signed with now."""
        with self.transaction() as db:
            return db.execute(select(signing_keys).order_by(signing_keys.c.created_at.desc()).limit(1)).first()

    def add_first_key(self, new_key: Callable[[], tuple[str, str]]) -> None:
        """Keep a first signing key (kid, private PEM), unless another worker or instance kept one first."""
        with self.transaction(exclusive=True) as db:
            if db.execute(select(signing_keys.c.kid).limit(1)).first() is None:
                kid, private_pem = new_key()
                db.execute(insert(signing_keys).values(kid=kid, private_pem=private_pem, created_at=time.time()))

    def add_key_retiring_others(self, kid: str, private_pem: str) -> None:
        """Sign with a new key from now on; the others are retired (kept until their tokens expire)."""
        now = time.time()
        with self.transaction() as db:
            db.execute(update(signing_keys).where(signing_keys.c.retired_at.is_(None)).values(retired_at=now))
            db.execute(insert(signing_keys).values(kid=kid, private_pem=private_pem, created_at=now))

    # One-time grants: authorization codes, login transactions, sessions, opaque access tokens

    def put_grant(self, kind: str, secret: str, data: dict, lifetime: float) -> None:
        """Keep `data` under the digest of `secret` for `lifetime` seconds."""
        self.purge_when_due()
        with self.transaction() as db:
            PUT_GRANT.execute(db, {
                "grant_kind": kind, "key": digest(secret), "grant_data": json.dumps(data),
                "grant_user": data.get("user_id"), "expires": time.time() + lifetime})

    def get_grant(self, kind: str, secret: str) -> dict | None:
        """The live data kept under `secret`, if any."""
        with self.transaction() as db:
            data = db.scalar(LIVE_GRANT, {"grant_kind": kind, "key": digest(secret), "now": time.time()})
        return json.loads(data) if data is not None else None

    def take_grant(self, kind: str, secret: str) -> dict | None:
        """Remove and return the data under `secret`: exactly one caller ever gets it."""
        with self.transaction() as db:
            row = db.execute(delete(grants).where(grants.c.kind == kind, grants.c.digest == digest(secret))
                             .returning(grants.c.data, grants.c.expires_at)).first()
        if row is None or row.expires_at <= time.time():
            return None
        return json.loads(row.data)

    def spend_grant(self, kind: str, spent_kind: str, secret: str, keep_for: float) -> dict | None:
        """Use up the live data under `secret` (exactly one caller gets it), kept as `spent_kind` for `keep_for`
        seconds, so that presenting it again can be recognised."""
        now = time.time()
        with self.transaction() as db:
            data = db.scalar(SPEND_GRANT, {"grant_kind": kind, "key": digest(secret), "now": now,
                                           "spent_kind": spent_kind, "kept_until": now + keep_for})
        return json.loads(data) if data is not None else None

    def revoke_grant(self, grant_id: str, revoked_kind: str, lifetime: float) -> None:
        """Remember for `lifetime` seconds that a grant's tokens are revoked, and delete its refresh tokens."""
        values = {"kind": revoked_kind, "digest": digest(grant_id), "data": "{}", "user_id": None,
                  "expires_at": time.time() + lifetime}
        with self.transaction() as db:
            upsert(db, grants, values, ["kind", "digest"], lambda new: {"expires_at": new.expires_at})
            db.execute(delete(refresh_tokens).where(refresh_tokens.c.family == grant_id))

    def live_grant_digests(self, kind: str) -> frozenset[str]:
        """The digests of every live grant of this kind."""
        with self.transaction() as db:
            return frozenset(db.scalars(select(grants.c.digest).where(
                grants.c.kind == kind, grants.c.expires_at > time.time())))

    def drop_grant(self, kind: str, secret: str) -> None:
        """Forget `secret`."""
        with self.transaction() as db:
            db.execute(delete(grants).where(grants.c.kind == kind, grants.c.digest == digest(secret)))

    def purge_expired(self) -> None:
        """Delete what has expired: grants, login transactions, refresh tokens and old failed-login counts."""
        now = time.time()
        self._purged_at = now
        with self.transaction() as db:
            db.execute(delete(grants).where(grants.c.expires_at <= now))
            db.execute(delete(login_transactions).where(login_transactions.c.expires_at <= now))
            db.execute(delete(password_resets).where(password_resets.c.expires_at <= now))
            db.execute(delete(refresh_tokens).where(refresh_tokens.c.expires_at <= now))
            db.execute(delete(failed_logins).where(failed_logins.c.last_at <= now - FAILED_LOGIN_RETENTION))
            db.execute(delete(visitor_actions).where(visitor_actions.c.expires_at <= now))

    def purge_when_due(self) -> None:
        """Purge at most once per interval, piggy-backed on writes (each instance purges for all)."""
        if time.time() - self._purged_at >= self.purge_interval:
            self.purge_expired()

    # Login transactions: an /authorize request waiting for the login form

    def put_login_transaction(self, secret: str, data: dict, lifetime: float, browser: str, address: str,
                              per_browser: int, per_address: int) -> None:
        """Keep a pending login; beyond `per_browser` (or `per_address`) pending ones, the oldest are dropped."""
        self.purge_when_due()
        now = time.time()
        with self.transaction() as db:
            db.execute(ADD_LOGIN, {"key": digest(secret), "login_browser": browser, "login_address": address,
                                   "login_data": json.dumps(data), "now": now, "expires": now + lifetime})
            for (count, keep_newest), holder, cap in ((PENDING_OF_BROWSER, browser, per_browser),
                                                      (PENDING_OF_ADDRESS, address, per_address)):
                if db.scalar(count, {"holder": holder}) > cap:
                    db.execute(keep_newest, {"holder": holder, "cap": cap})

    def login_transaction(self, secret: str) -> dict | None:
        """The live pending login kept under `secret`, if any."""
        with self.transaction() as db:
            data = db.scalar(LIVE_LOGIN, {"key": digest(secret), "now": time.time()})
        return json.loads(data) if data is not None else None

    def drop_login_transaction(self, secret: str) -> None:
        """Forget a pending login."""
        with self.transaction() as db:
            db.execute(DROP_LOGIN, {"key": digest(secret)})

    # Password-reset tickets: one live ticket per user

    def put_reset_ticket(self, user_id: str, secret: str, lifetime: float) -> None:
        """Keep the user's reset ticket, replacing any earlier one."""
        values = {"user_id": user_id, "digest": digest(secret), "expires_at": time.time() + lifetime}
        with self.transaction() as db:
            upsert(db, password_resets, values, ["user_id"],
                   lambda new: {"digest": new.digest, "expires_at": new.expires_at})

    def reset_ticket_user(self, secret: str) -> str | None:
        """The user a live reset ticket belongs to, if any."""
        with self.transaction() as db:
            return db.scalar(select(password_resets.c.user_id).where(
                password_resets.c.digest == digest(secret), password_resets.c.expires_at > time.time()))

    def take_reset_ticket(self, secret: str) -> str | None:
        """Use up a reset ticket: the user it belonged to, for exactly one caller."""
        with self.transaction() as db:
            row = db.execute(delete(password_resets).where(password_resets.c.digest == digest(secret))
                             .returning(password_resets.c.user_id, password_resets.c.expires_at)).first()
        return row.user_id if row is not None and row.expires_at > time.time() else None

    # Refresh tokens (rotated: each is used once; reuse revokes the family)

    def put_refresh_token(self, secret: str, family: str, data: dict, lifetime: float) -> None:
        """Keep a new refresh token of `family`."""
        with self.transaction() as db:
            db.execute(insert(refresh_tokens).values(digest=digest(secret), family=family, data=json.dumps(data),
                                                     user_id=data.get("user_id"), used=False,
                                                     expires_at=time.time() + lifetime))

    def revoke_user_credentials(self, user_id: str, grant_kinds: tuple[str, ...]) -> None:
        """Delete a user's grants of these kinds (sessions), their reset ticket and every refresh token they hold."""
        with self.transaction() as db:
            db.execute(delete(grants).where(grants.c.kind.in_(grant_kinds), grants.c.user_id == user_id))
            db.execute(delete(password_resets).where(password_resets.c.user_id == user_id))
            db.execute(delete(refresh_tokens).where(refresh_tokens.c.user_id == user_id))

    def peek_refresh_token(self, secret: str) -> tuple[str, dict | None]:
        """A refresh token's state without using it: ("ok", data), ("reused", None) or ("unknown", None)."""
        with self.transaction() as db:
            row = db.execute(select(refresh_tokens.c.data, refresh_tokens.c.used).where(
                refresh_tokens.c.digest == digest(secret), refresh_tokens.c.expires_at > time.time())).first()
        if row is None:
            return "unknown", None
        return ("reused", None) if row.used else ("ok", json.loads(row.data))

    def use_refresh_token(self, secret: str) -> tuple[str, dict | None]:
        """Mark a refresh token used. Returns ("ok", data), ("reused", None) or ("unknown", None)."""
        key = digest(secret)
        with self.transaction() as db:
            data = db.scalar(
                update(refresh_tokens)
                .where(refresh_tokens.c.digest == key, refresh_tokens.c.used.is_(False),
                       refresh_tokens.c.expires_at > time.time())
                .values(used=True).returning(refresh_tokens.c.data))
            if data is not None:
                return "ok", json.loads(data)
            family = db.scalar(select(refresh_tokens.c.family).where(refresh_tokens.c.digest == key))
            if family is None:
                return "unknown", None
            db.execute(delete(refresh_tokens).where(refresh_tokens.c.family == family))
            return "reused", None

    def revoke_refresh_family(self, secret: str, client_id: str) -> bool:
        """Delete the refresh token's whole rotation family, if the token was issued to `client_id`."""
        with self.transaction() as db:
            row = db.execute(select(refresh_tokens.c.family, refresh_tokens.c.data)
                             .where(refresh_tokens.c.digest == digest(secret))).first()
            if row is None or json.loads(row.data)["client_id"] != client_id:
                return False
            db.execute(delete(refresh_tokens).where(refresh_tokens.c.family == row.family))
            return True

    # Failed logins

    def failed_login_count(self, email: str, address: str, window: float) -> int:
        """Consecutive failed logins for this user from this address within `window` seconds."""
        with self.transaction() as db:
            count = db.scalar(counters.RECENT_COUNT, {"row_email": email.lower(), "row_address": address,
                                                      "since": time.time() - window})
        return count or 0

    def failed_login_total(self, emails: list[str], address: str, window: float) -> int:
        """failed_login_count summed over several counters of one address, in one query."""
        with self.transaction() as db:
            total = db.scalar(counters.RECENT_TOTAL, {"row_emails": [email.lower() for email in emails],
                                                      "row_address": address, "since": time.time() - window})
        return total or 0

    def record_failed_login(self, email: str, address: str, window: float) -> int:
        """Count one more failed login (the count restarts after `window` seconds of quiet); the count it makes."""
        self.purge_when_due()
        now = time.time()
        row = {"row_email": email.lower(), "row_address": address}
        # The upsert holds the row until commit, so racing callers each read a different count.
        with self.transaction() as db:
            counters.COUNT_ONE_MORE.execute(db, {**row, "now": now, "since": now - window})
            return db.scalar(counters.COUNT, row)

    def withdraw_failed_login(self, email: str, address: str) -> None:
        """Take back one counted failure: an attempt counted before its check that turned out not to fail."""
        with self.transaction() as db:
            db.execute(counters.WITHDRAW, {"row_email": email.lower(), "row_address": address})

    def clear_failed_logins(self, email: str, address: str) -> None:
        """Forget failed logins after a success."""
        with self.transaction() as db:
            db.execute(counters.CLEAR, {"row_email": email.lower(), "row_address": address})
