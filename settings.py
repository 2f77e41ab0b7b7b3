"""The site's configuration, read once from the environment and `.env`."""

import os
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from server.addresses import is_loopback_host

BUILTIN_API_AUDIENCE = "https://playground/api"
# The API permissions the site's own clients ask for; with RBAC the tenant grants those the user holds.
API_SCOPES = "read:messages admin:messages read:room"
BUILTIN_WEB_CLIENT_ID = "web-app"
BUILTIN_WEB_CLIENT_SECRET = "web-app-secret"
BUILTIN_SWAGGER_CLIENT_ID = "swagger-ui"

DOMAIN_HINT = ("must be a host name such as my-tenant.eu.auth0.com, or a tenant's URL such as "
               "https://playground.example.org/tenant")

# Environment variables a PaaS sets to the public origin of the running service.
PLATFORM_ORIGIN_VARIABLES = ("RENDER_EXTERNAL_URL", "RAILWAY_PUBLIC_DOMAIN", "HEROKU_APP_DEFAULT_DOMAIN_NAME")


def split_list(value: str) -> tuple[str, ...]:
    """The items of a comma-separated setting."""
    return tuple(item.strip() for item in value.split(",") if item.strip())


class Settings(BaseSettings):
    """Everything the site can be configured with; unset `AUTH0_DOMAIN` means the built-in tenant."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    auth0_domain: str | None = None
    auth0_client_id: str | None = None
    auth0_client_secret: SecretStr | None = None
    auth0_swagger_client_id: str | None = None
    auth0_api_audience: str = BUILTIN_API_AUDIENCE
    session_secret: SecretStr | None = None
    public_url: str | None = None
    port: int = Field(default=8000, ge=1, le=65535)
    data_dir: Path = Path(".data")
    # How many proxies in front of the site append to X-Forwarded-For: 0 when clients connect directly.
    trusted_proxy_hops: int = Field(default=0, ge=0, le=10)
    tenant_extra_callback_urls: str = ""
    tenant_extra_logout_urls: str = ""
    tenant_extra_web_origins: str = ""
    tenant_actions: list[Path] | None = None
    # event.secrets of the operator's Actions, as a JSON object of strings (visitors' Actions never see them).
    tenant_action_secrets: dict[str, SecretStr] = Field(default_factory=dict, max_length=50)
    # The secret of the built-in tenant's `tenant-operator` client, whose Management API reach is the whole tenant.
    tenant_management_secret: SecretStr | None = Field(default=None, min_length=16)
    database_url: SecretStr | None = None
    # Whether the site records visits for the instructor's room (/room); off, nothing is recorded and /room is 404.
    room_enabled: bool = True
    # `python main.py --https`: serve https on this machine with a local CA's certificate made under DATA_DIR.
    local_https: bool = False

    render_external_url: str | None = None
    railway_public_domain: str | None = None
    heroku_app_default_domain_name: str | None = None

    @field_validator("auth0_domain", "auth0_client_id", "auth0_client_secret", "auth0_swagger_client_id",
                     "session_secret", "public_url", "database_url", mode="before")
    @classmethod
    def blank_is_unset(cls, value: object) -> object:
        """Treat an empty variable (`AUTH0_DOMAIN=`) as unset."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("room_enabled", mode="before")
    @classmethod
    def blank_is_on(cls, value: object) -> object:
        """Treat an empty ROOM_ENABLED as its default: on."""
        return True if isinstance(value, str) and not value.strip() else value

    @field_validator("auth0_api_audience")
    @classmethod
    def audience_not_blank(cls, value: str) -> str:
        """An API identifier, e.g. https://playground/api."""
        if not value.strip():
            raise ValueError("must not be empty; it is your API's identifier, e.g. https://playground/api")
        return value.strip()

    @field_validator("data_dir")
    @classmethod
    def writable_folder(cls, value: Path) -> Path:
        """A folder the site can create and write to."""
        if value.exists() and not value.is_dir():
            raise ValueError(f"{value} is a file, not a folder")
        try:
            value.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ValueError(f"cannot create the folder {value}: {error.strerror}") from None
        if not os.access(value, os.W_OK):
            raise ValueError(f"cannot write to the folder {value}")
        return value

    @field_validator("tenant_actions")
    @classmethod
    def readable_actions(cls, value: list[Path] | None) -> list[Path] | None:
        """JavaScript files the built-in tenant runs as post-login Actions, in order."""
        for path in value or ():
            if not path.is_file():
                raise ValueError(f"{path} is not a file; list the post-login Actions' .js files, e.g. [\"a.js\"]")
        return value

    @field_validator("database_url")
    @classmethod
    def postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        """A PostgreSQL URL as platforms write it, turned into the form SQLAlchemy's psycopg driver takes."""
        if value is None:
            return None
        from storage.urls import normalise_database_url  # SQLAlchemy is loaded only when a database is used

        return SecretStr(normalise_database_url(value.get_secret_value()))

    @field_validator("auth0_domain")
    @classmethod
    def tenant_domain_or_url(cls, value: str | None) -> str | None:
        """A tenant's domain (a pasted https:// URL too), or the URL of a tenant served under a path."""
        # Such as another instance's built-in tenant, which may be plain http only on this machine.
        if value is None:
            return None
        text = value.strip().rstrip("/")
        if "://" not in text:
            if not urlsplit(f"https://{text}").hostname or "/" in text:
                raise ValueError(DOMAIN_HINT)
            return text
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise ValueError(DOMAIN_HINT)
        if parts.scheme == "http" and not is_loopback_host(parts.hostname):
            raise ValueError("may use http:// only for a tenant on this machine; use https://")
        if parts.scheme == "https" and not parts.path:
            return parts.netloc
        return f"{parts.scheme}://{parts.netloc}{parts.path}"

    @field_validator("public_url")
    @classmethod
    def origin_only(cls, value: str | None) -> str | None:
        """Keep only scheme and host of the canonical origin."""
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an origin such as https://playground.example.org")
        return f"{parts.scheme}://{parts.netloc}"

    @model_validator(mode="after")
    def real_tenant_needs_its_settings(self) -> "Settings":
        """A real Auth0 tenant cannot be used without its client and a session secret."""
        if self.auth0_domain is None:
            return self
        for name in ("auth0_client_id", "auth0_client_secret", "session_secret"):
            if getattr(self, name) is None:
                raise ValueError(f"{name.upper()} must be set when AUTH0_DOMAIN is set")
        return self

    @field_validator("tenant_extra_callback_urls", "tenant_extra_logout_urls", "tenant_extra_web_origins")
    @classmethod
    def url_list(cls, value: str) -> str:
        """Comma-separated http(s) URLs."""
        for url in split_list(value):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"{url} is not an http(s) URL; separate URLs with commas")
        return value

    @property
    def tenant_extra_urls(self) -> dict[str, tuple[str, ...]]:
        """The extra callback URLs, logout URLs and web origins the built-in tenant's clients allow."""
        return {
            "extra_callback_urls": split_list(self.tenant_extra_callback_urls),
            "extra_logout_urls": split_list(self.tenant_extra_logout_urls),
            "extra_web_origins": tuple(url.rstrip("/") for url in split_list(self.tenant_extra_web_origins)),
        }

    @property
    def post_login_actions(self) -> tuple[str, ...] | None:
        """The sources of TENANT_ACTIONS, or None for the built-in tenant's default (step 11's Action)."""
        if self.tenant_actions is None:
            return None
        return tuple(path.read_text(encoding="utf-8") for path in self.tenant_actions)

    @property
    def action_secrets(self) -> dict[str, str]:
        """TENANT_ACTION_SECRETS, revealed for the tenant's engine alone."""
        return {name: value.get_secret_value() for name, value in self.tenant_action_secrets.items()}

    @property
    def management_secret(self) -> str | None:
        """TENANT_MANAGEMENT_SECRET, the operator's key to the built-in tenant's whole Management API."""
        return self.tenant_management_secret.get_secret_value() if self.tenant_management_secret else None

    @property
    def uses_builtin_tenant(self) -> bool:
        """True when the site serves its own Auth0-compatible tenant."""
        return self.auth0_domain is None

    @property
    def storage_url(self) -> str:
        """Where the built-in tenant keeps its state: DATABASE_URL, else a SQLite file under DATA_DIR."""
        from storage.urls import database_url_for

        return database_url_for(self.database_url.get_secret_value() if self.database_url else None, self.data_dir)

    @cached_property
    def site_origin(self) -> str:
        """The canonical origin: PUBLIC_URL, else what the platform says, else localhost."""
        if self.public_url:
            return self.public_url
        for name in PLATFORM_ORIGIN_VARIABLES:
            value = getattr(self, name.lower())
            if value:
                return self.origin_only(value if "://" in value else f"https://{value}")
        return f"{'https' if self.local_https else 'http'}://localhost:{self.port}"

    @property
    def tenant_base_url(self) -> str:
        """Where the tenant's endpoints live, without a trailing slash."""
        if self.auth0_domain:
            return self.auth0_domain if "://" in self.auth0_domain else f"https://{self.auth0_domain}"
        return self.site_origin

    @property
    def issuer(self) -> str:
        """The `iss` of every token, with Auth0's trailing slash."""
        return f"{self.tenant_base_url}/"

    @property
    def tenant_domain(self) -> str:
        """The tenant's "domain" as Auth0 SDKs take it: host, and path for the built-in one."""
        return self.tenant_base_url.split("://", 1)[1]

    @property
    def tenant_scheme(self) -> str:
        """`https` for Auth0; the built-in tenant follows the site's origin."""
        return self.tenant_base_url.split("://", 1)[0]

    @property
    def web_client_id(self) -> str:
        """The regular web app's client id."""
        return self.auth0_client_id or BUILTIN_WEB_CLIENT_ID

    @property
    def web_client_secret(self) -> str:
        """The regular web app's client secret."""
        if self.auth0_client_secret is not None:
            return self.auth0_client_secret.get_secret_value()
        return BUILTIN_WEB_CLIENT_SECRET

    @property
    def swagger_client_id(self) -> str:
        """The single-page app client used by Swagger UI at /docs."""
        return self.auth0_swagger_client_id or BUILTIN_SWAGGER_CLIENT_ID


def describe_error(error: ValidationError) -> str:
    """One line naming the first bad setting."""
    first = error.errors()[0]
    name = "_".join(str(part) for part in first["loc"]).upper()
    message = first["msg"].removeprefix("Value error, ")
    return f"Invalid setting {name}: {message}" if name else f"Invalid settings: {message}"


def load_settings(**overrides: object) -> Settings:
    """Read the settings, or stop with one line naming the setting that is wrong."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise SystemExit(describe_error(error)) from None
