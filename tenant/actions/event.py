"""Auth0's post-login `event`: who logs in, to which client and API, from where, and how often before."""

from dataclasses import dataclass, field

from tenant.directory import CONNECTION, Client
from tenant.store.users import User, iso_time

# Profile attributes kept from sign-up that Auth0 puts on event.user when the user has them.
EVENT_PROFILE_FIELDS = ("given_name", "family_name", "picture", "username")
TENANT_ID = "playground"
MAX_USER_AGENT = 512
# Auth0's event.transaction.protocol for each grant that runs the post-login trigger.
PROTOCOLS = {
    "authorization_code": "oidc-basic-profile",
    "implicit": "oidc-implicit-profile",
    "password": "oauth2-resource-owner",
    "http://auth0.com/oauth/grant-type/password-realm": "oauth2-password",
    "refresh_token": "oauth2-refresh-token",
    "urn:ietf:params:oauth:grant-type:device_code": "oauth2-device-code",
}


@dataclass(frozen=True)
class LoginRequest:
    """The HTTP request a login came with, as event.request shows it (never its credentials)."""

    ip: str
    user_agent: str = ""
    hostname: str = ""
    method: str = "POST"
    query: dict = field(default_factory=dict)

    def as_event(self) -> dict:
        """Auth0's event.request."""
        return {"ip": self.ip, "hostname": self.hostname, "method": self.method, "query": self.query,
                "user_agent": self.user_agent[:MAX_USER_AGENT]}


def user_event(user: User) -> dict:
    """Auth0's event.user for a user of the tenant."""
    record, profile = user.record, user.profile
    return {
        "user_id": user.sub, "email": record.email, "email_verified": record.email_verified,
        "name": record.name, "nickname": record.nickname, "app_metadata": user.app_metadata,
        "user_metadata": user.user_metadata, "logins_count": user.account.logins_count,
        **({"last_login": iso_time(user.account.last_login)} if user.account.last_login else {}),
        **({"last_ip": user.account.last_ip} if user.account.last_ip else {}),
        **{key: profile[key] for key in EVENT_PROFILE_FIELDS if key in profile},
        "created_at": iso_time(record.created_at), "updated_at": iso_time(record.updated_at),
        "identities": [{"connection": CONNECTION, "provider": "auth0", "user_id": record.id, "isSocial": False}],
    }


def login_event(user: User, client: Client, audience: str | None, api_identifier: str, scope: str,
                grant_type: str, request: LoginRequest, session: dict | None = None) -> dict:
    """Auth0's post-login `event` for this login (event.secrets is added by the engine that runs it)."""
    event: dict = {
        "user": user_event(user),
        "client": {"client_id": client.client_id, "name": client.name, "metadata": {}},
        "connection": {"id": "con_playground", "name": CONNECTION, "strategy": "auth0"},
        "request": request.as_event(),
        "stats": {"logins_count": user.account.logins_count},
        "tenant": {"id": TENANT_ID},
        "transaction": {"protocol": PROTOCOLS.get(grant_type, grant_type), "requested_scopes": scope.split()},
        "authentication": {"methods": [{"name": "pwd", "timestamp": iso_time(session["auth_time"])}]}
        if session else {"methods": []},
    }
    if session is not None:
        event["session"] = {"id": session["sid"], "authenticated_at": iso_time(session["auth_time"])}
    if audience == api_identifier:
        event["authorization"] = {"roles": list(user.roles)}
        event["resource_server"] = {"identifier": audience}
    return event
