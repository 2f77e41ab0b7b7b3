"""The tenant's tables, the same on SQLite and PostgreSQL."""

from sqlalchemy import (Boolean, Column, Connection, Float, Integer, MetaData, String, Table, Text, UniqueConstraint,
                        text)

# Raise with an upgrade step in tenant/store.py when a table changes (see README, "Deploy").
SCHEMA_VERSION = 3

metadata = MetaData()

users = Table(
    "users", metadata,
    Column("id", String(64), primary_key=True),
    # Stored lower-cased, so that uniqueness and look-ups ignore case on every database.
    Column("email", String(320), nullable=False, unique=True),
    Column("password_hash", String(256), nullable=False),
    Column("name", String(320), nullable=False),
    Column("nickname", String(320), nullable=False),
    Column("permissions", Text, nullable=False, default=""),
    Column("email_verified", Boolean, nullable=False, default=False),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)

# Sign-up attributes without a column of their own (given_name, family_name, picture, username, user_metadata),
# as one JSON object; a new table, so databases made before it just gain it at start-up.
user_profiles = Table(
    "user_profiles", metadata,
    Column("user_id", String(64), primary_key=True),
    Column("data", Text, nullable=False),
)

signing_keys = Table(
    "signing_keys", metadata,
    Column("kid", String(64), primary_key=True),
    Column("private_pem", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("retired_at", Float),
)

# Codes, sessions and opaque tokens, each under the digest of its secret.
grants = Table(
    "grants", metadata,
    Column("kind", String(32), primary_key=True),
    Column("digest", String(64), primary_key=True),
    Column("data", Text, nullable=False),
    # The user the grant speaks for, if any, so that a password reset can end all of theirs.
    Column("user_id", String(64), index=True),
    Column("expires_at", Float, nullable=False, index=True),
)

# Pending /authorize requests waiting for the login form, counted per browser and per address to cap them.
login_transactions = Table(
    "login_transactions", metadata,
    Column("digest", String(64), primary_key=True),
    Column("browser", String(64), nullable=False, index=True),
    Column("address", String(64), nullable=False, index=True),
    Column("data", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False, index=True),
)

# At most one live password-reset ticket per user: a new request replaces the previous one.
password_resets = Table(
    "password_resets", metadata,
    Column("user_id", String(64), primary_key=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("expires_at", Float, nullable=False, index=True),
)

refresh_tokens = Table(
    "refresh_tokens", metadata,
    Column("digest", String(64), primary_key=True),
    Column("family", String(64), nullable=False, index=True),
    Column("data", Text, nullable=False),
    Column("user_id", String(64), index=True),
    Column("used", Boolean, nullable=False, default=False),
    Column("expires_at", Float, nullable=False, index=True),
)

failed_logins = Table(
    "failed_logins", metadata,
    Column("email", String(320), primary_key=True),
    Column("address", String(64), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("last_at", Float, nullable=False, index=True),
)

# What each user has let each application do at each API (Auth0's user grants): the scopes granted so far.
consents = Table(
    "consents", metadata,
    Column("user_id", String(64), primary_key=True),
    Column("client_id", String(64), primary_key=True),
    Column("audience", String(320), primary_key=True),
    Column("scope", Text, nullable=False),
    Column("granted_at", Float, nullable=False),
)

# Post-login Actions a signed-in visitor wrote in the editor (/actions) and deployed for their own logins only; a new
# table, bounded per visitor, purged when it expires or with the user.
visitor_actions = Table(
    "visitor_actions", metadata,
    Column("user_id", String(64), primary_key=True),
    Column("name", String(64), primary_key=True),
    Column("source", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False, index=True),
)

# What Auth0 keeps on a user beyond its profile: blocked, its logins, and which Management API client created it
# (the reach of a visitor's own application: see tenant/management/reach.py). user_metadata and app_metadata live in
# user_profiles' JSON object.
user_accounts = Table(
    "user_accounts", metadata,
    Column("user_id", String(64), primary_key=True),
    Column("blocked", Boolean, nullable=False, default=False),
    Column("logins_count", Integer, nullable=False, default=0),
    Column("last_login", Float),
    Column("last_ip", String(64)),
    Column("created_by", String(64), index=True),
)

# Roles (Auth0's RBAC). `owner` is the client that created the role ("" for the tenant's own): names are unique per
# owner, so that one visitor's role names tell another nothing.
roles = Table(
    "roles", metadata,
    Column("id", String(64), primary_key=True),
    Column("owner", String(64), nullable=False, default="", index=True),
    Column("name", String(50), nullable=False),
    Column("description", String(140), nullable=False, default=""),
    Column("created_at", Float, nullable=False),
    UniqueConstraint("owner", "name", name="roles_owner_name"),
)

role_permissions = Table(
    "role_permissions", metadata,
    Column("role_id", String(64), primary_key=True),
    Column("resource_server_identifier", String(320), primary_key=True),
    Column("permission_name", String(280), primary_key=True),
)

user_roles = Table(
    "user_roles", metadata,
    Column("user_id", String(64), primary_key=True),
    Column("role_id", String(64), primary_key=True, index=True),
)

# Machine-to-machine applications visitors made on /u/applications, for the Management API: the secret's digest only.
management_apps = Table(
    "management_apps", metadata,
    Column("client_id", String(64), primary_key=True),
    Column("owner", String(64), nullable=False, index=True),
    Column("name", String(64), nullable=False),
    Column("secret_digest", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
)

# The tenant's logs (Auth0's tenant logs): one row per authentication event, purged after a retention period and
# capped in number (tenant/store/logs.py). `browser` (a digest) and `session_id` say whose browser and sign-in it
# came from, so that a visitor can be shown their own events; neither is ever shown.
log_events = Table(
    "log_events", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("log_id", String(64), nullable=False, unique=True),
    Column("date", Float, nullable=False, index=True),
    Column("type", String(32), nullable=False),
    Column("description", String(512), nullable=False, default=""),
    Column("client_id", String(128)),
    Column("client_name", String(128)),
    Column("user_id", String(128), index=True),
    Column("user_name", String(320)),
    Column("ip", String(64)),
    Column("user_agent", String(512)),
    Column("connection", String(128)),
    Column("details", Text, nullable=False, default="{}"),
    Column("browser", String(64), index=True),
    Column("session_id", String(64)),
)


def add_user_columns(connection: Connection) -> None:
    """Version 2: grants and refresh tokens name their user (older rows name none, and expire as before)."""
    for table in (grants, refresh_tokens):
        connection.execute(text(f"ALTER TABLE {table.name} ADD COLUMN user_id VARCHAR(64)"))
        for index in table.indexes:
            if "user_id" in index.columns:
                index.create(connection)


def add_consents(connection: Connection) -> None:
    """Version 3: the consents table (no user has consented to anything yet)."""
    consents.create(connection, checkfirst=True)


UPGRADES = {2: add_user_columns, 3: add_consents}

# Each user's authenticator app (TOTP, RFC 6238): a new table, so databases made before it just gain it at start-up.
# The secret is sealed (AES-GCM); the recovery code is kept as its digest; `last_step` is the newest time step a code
# was accepted for, so that no code works twice.
mfa_authenticators = Table(
    "mfa_authenticators", metadata,
    Column("user_id", String(64), primary_key=True),
    Column("authenticator_id", String(64), nullable=False),
    Column("sealed_secret", Text, nullable=False),
    Column("recovery_digest", String(64), nullable=False),
    Column("confirmed", Boolean, nullable=False, default=False),
    Column("last_step", Integer, nullable=False, default=0),
    Column("created_at", Float, nullable=False, index=True),
)
