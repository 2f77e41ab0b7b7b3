"""authlib's OAuth 2.0 server core behind a small adapter, answering with Auth0's status codes and bodies."""

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from string import ascii_letters, digits, punctuation
from urllib.parse import quote

from authlib.common.urls import add_params_to_uri
from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import OAuth2Error, OAuth2Payload, OAuth2Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from tenant.directory import Client, Directory

# authlib's descriptions where Auth0 words the same failure differently.
AUTH0_DESCRIPTIONS = {
    "Invalid 'code' in request.": "Invalid authorization code",
    "Code challenge failed.": "Failed to verify code verifier",
    "Missing 'code_verifier'": "Parameter 'code_verifier' is required",
    "Invalid 'redirect_uri' in request.": "Redirect URI mismatch: it must equal the one sent to /authorize",
}
MISSING_PARAMETER = re.compile(r"Missing '(\w+)' in request\.")
# Auth0 answers these errors with these statuses rather than RFC 6749's 400.
AUTH0_STATUSES = {"invalid_grant": 403, "unauthorized_client": 403, "access_denied": 403}
# RFC 6749 section 5.2: an error description is printable ASCII without `"` and `\`; the rest is percent-encoded.
DESCRIPTION_SAFE = "".join(sorted(set(ascii_letters + digits + punctuation + " ") - {'"', "\\"}))


def describable(text: str) -> str:
    """Text fit for an error description: what a caller sent may hold any character, percent-encoded here."""
    return quote(text, safe=DESCRIPTION_SAFE, errors="surrogatepass")


class Auth0Error(OAuth2Error):
    """An OAuth error with Auth0's code, description and status."""

    def __init__(self, error: str, description: str, status_code: int = 400, **kwargs: object) -> None:
        self.error = error
        super().__init__(description=describable(description), status_code=status_code, **kwargs)


def missing_parameter(name: str) -> Auth0Error:
    """Auth0's answer to a missing parameter."""
    return Auth0Error("invalid_request", f"Missing required parameter: {name}")


class Payload(OAuth2Payload):
    """Request parameters already read and checked by the endpoint."""

    def __init__(self, data: dict[str, str], datalist: dict[str, list[str]]) -> None:
        self._data = data
        self._datalist = defaultdict(list, datalist)

    @property
    def data(self) -> dict[str, str]:
        """The parameters, one value each."""
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list]:
        """Every value of every parameter."""
        return self._datalist


class TenantRequest(OAuth2Request):
    """An OAuth request as authlib's grants see it, with the Auth0 extras (audience, nonce, caller address)."""

    def __init__(self, method: str, uri: str, headers: Mapping[str, str], datalist: dict[str, list[str]],
                 client_address: str) -> None:
        # TLS is terminated in front of the site; the tenant's scheme follows the site's origin, so authlib's
        # transport check (which would refuse the plain-http development origin) is deliberately not run.
        self.method = method
        self.uri = uri
        self.headers = headers
        self._body = None
        self.payload = Payload({key: values[0] for key, values in datalist.items()}, datalist)
        self.client = None
        self.auth_method = None
        self.user = None
        self.authorization_code = None
        self.refresh_token = None
        self.credential = None
        self._scope = None
        self.client_address = client_address
        self.session_id: str | None = None
        self.auth_time: int | None = None
        # How the user authenticated in this login (`amr`): ["mfa"] once a second factor was checked.
        self.amr: list[str] = []
        self.from_the_site = False  # made in-process by the site itself, which no socket peer can pretend to be
        # For the tenant's logs: the event a grant chose over its failure's usual one, and the user a failed
        # attempt named.
        self.log_type: str | None = None
        self.log_description = ""
        self.named_user: object = None

    @property
    def args(self) -> dict[str, str]:
        """Query parameters (authorization requests)."""
        return self.payload.data

    @property
    def form(self) -> dict[str, str]:
        """Body parameters (token requests)."""
        return self.payload.data

    @property
    def audience(self) -> str | None:
        """The API the client asks a token for."""
        return self.payload.data.get("audience") or None


def auth0_error_body(status: int, body: dict) -> tuple[int, dict]:
    """Translate an error from authlib's words into Auth0's."""
    error = body.get("error")
    if error == "invalid_client":
        return 401, {"error": "access_denied", "error_description": "Unauthorized"}
    description = body.get("error_description") or error
    missing = MISSING_PARAMETER.fullmatch(description)
    if missing:
        description = missing_parameter(missing.group(1)).description
    translated = {"error": error, "error_description": AUTH0_DESCRIPTIONS.get(description, description)}
    # Auth0's mfa_required answer carries the token that continues the login.
    body = translated | ({"mfa_token": body["mfa_token"]} if "mfa_token" in body else {})
    return AUTH0_STATUSES.get(error, status), body


def to_response(status: int, body: object, headers: list[tuple[str, str]] | dict) -> Response:
    """A Starlette response for what authlib returns."""
    headers = dict(headers)
    location = headers.pop("Location", None)
    if location is not None:
        return RedirectResponse(location, status_code=302, headers=headers)
    if isinstance(body, dict) and "error" in body:
        headers.pop("WWW-Authenticate", None)
        status, body = auth0_error_body(status, body)
    return JSONResponse(body, status_code=status, headers=headers)


class TenantAuthorizationServer(AuthorizationServer):
    """authlib's authorization server, fed with pre-read requests and answering Starlette responses."""

    def __init__(self, directory: Directory, other_clients: Callable[[str], Client | None] = lambda _: None) -> None:
        super().__init__()
        self.directory = directory
        self.other_clients = other_clients

    def get_authorization_grant(self, request: TenantRequest) -> object:
        """authlib's lookup, refusing first a response type that its own error description could not name."""
        response_type = request.payload.response_type
        if response_type and describable(response_type) != response_type:
            raise Auth0Error("unsupported_response_type", f"Unsupported response type: {response_type}")
        return super().get_authorization_grant(request)

    def query_client(self, client_id: str) -> Client | None:
        """A registered client: one of the tenant's own, else one a visitor made."""
        return self.directory.client(client_id) or self.other_clients(client_id)

    def save_token(self, token: dict, request: TenantRequest) -> None:
        """Tokens that need storing (refresh, opaque) are stored when they are made."""

    def create_oauth2_request(self, request: TenantRequest) -> TenantRequest:
        """Requests arrive already read (bodies are read asynchronously before the server runs)."""
        return request

    def create_json_request(self, request: TenantRequest) -> TenantRequest:
        """Not used by the grants the tenant offers."""
        return request

    def handle_response(self, status: int, body: object, headers: list[tuple[str, str]]) -> Response:
        """Turn authlib's answer into a Starlette response in Auth0's shape."""
        return to_response(status, body, headers)

    def send_signal(self, name: str, *args: object, **kwargs: object) -> None:
        """The tenant listens to no signal."""


def redirect_error(error: OAuth2Error, state: str | None) -> Response | None:
    """The redirect back to the client carrying an authorization error, when the redirect URI is trusted."""
    if not error.redirect_uri:
        return None
    params = [("error", error.error), ("error_description", error.description or "")]
    if state:
        params.append(("state", state))
    location = add_params_to_uri(error.redirect_uri, params, fragment=bool(error.redirect_fragment))
    return RedirectResponse(location, status_code=302)
