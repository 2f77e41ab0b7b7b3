"""The log event of each token request: Auth0's success and failure codes per grant type."""

import json

from starlette.responses import Response

from tenant.directory import DEVICE_CODE_GRANT, PASSWORD_REALM_GRANT
from tenant.logs import codes
from tenant.logs.journal import Journal, Origin, never_fails
from tenant.oauth import TenantRequest

EXCHANGES = {
    "authorization_code": (codes.SUCCESS_CODE_EXCHANGE, codes.FAILED_CODE_EXCHANGE),
    "password": (codes.SUCCESS_PASSWORD_EXCHANGE, codes.FAILED_PASSWORD_EXCHANGE),
    PASSWORD_REALM_GRANT: (codes.SUCCESS_PASSWORD_EXCHANGE, codes.FAILED_PASSWORD_EXCHANGE),
    "client_credentials": (codes.SUCCESS_CLIENT_CREDENTIALS, codes.FAILED_CLIENT_CREDENTIALS),
    "refresh_token": (codes.SUCCESS_REFRESH, codes.FAILED_REFRESH),
    DEVICE_CODE_GRANT: (codes.SUCCESS_DEVICE_EXCHANGE, codes.FAILED_DEVICE_EXCHANGE),
}
# A device asking whether its user has decided yet is not a failure: polling would fill the log.
STILL_WAITING = frozenset({"authorization_pending", "slow_down"})


def answer_of(response: Response) -> dict:
    """The JSON body of the token endpoint's answer."""
    try:
        body = json.loads(bytes(response.body))
    except (ValueError, AttributeError):
        return {}
    return body if isinstance(body, dict) else {}


def session_of(oauth_request: TenantRequest) -> str | None:
    """The tenant sign-in a code, refresh token or device flow came from."""
    for held in (oauth_request.authorization_code, oauth_request.refresh_token):
        data = getattr(held, "data", None)
        if isinstance(data, dict):
            return data.get("session_id")
    return (getattr(oauth_request, "device_flow", None) or {}).get("session_id")


@never_fails
def record_exchange(journal: Journal, origin: Origin, oauth_request: TenantRequest, response: Response) -> None:
    """Record a token request's outcome, with the code its grant type and any failure reason give it."""
    types = EXCHANGES.get(oauth_request.payload.grant_type)
    answer = answer_of(response)
    if types is None or answer.get("error") in STILL_WAITING:
        return
    succeeded = response.status_code == 200
    data = oauth_request.payload.data
    client = oauth_request.client
    details = {"audience": oauth_request.audience, "scope": answer.get("scope") if succeeded else data.get("scope")}
    description = "" if succeeded else answer.get("error_description") or answer.get("error") or ""
    if not succeeded:
        details["error"] = {"message": description, "oauthError": answer.get("error")}
    journal.record(types[0] if succeeded else oauth_request.log_type or types[1], origin,
                   client_id=client.client_id if client else data.get("client_id"),
                   user=oauth_request.user or oauth_request.named_user, user_name=data.get("username"),
                   description=description, details={k: v for k, v in details.items() if v}, session_id=session_of(oauth_request))
