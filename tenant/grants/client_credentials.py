"""The client credentials grant (machine to machine)."""

from authlib.oauth2.rfc6749 import grants

from tenant.grants.base import IssuesAuth0Tokens
from tenant.oauth import Auth0Error


class ClientCredentials(IssuesAuth0Tokens, grants.ClientCredentialsGrant):
    """Client credentials (machine to machine): only for an API the client has a grant for."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def validate_token_request(self) -> None:
        """Client, grant, then the API it wants a token for."""
        client = self.allowed_client()
        audience = self.request.audience
        if audience is None:
            raise Auth0Error("access_denied", "No audience parameter was provided, and no default audience has been "
                             "configured", 403)
        api = self.services.directory.api_of(audience)
        if api is None:
            raise Auth0Error("access_denied", f"Service not found: {audience}", 403)
        if audience not in client.api_grants:
            raise Auth0Error("access_denied", f'Client is not authorized to access "{audience}". You need to create '
                             'a "client-grant" associated to this API.', 403)
        refused = [scope for scope in (self.request.payload.scope or "").split()
                   if scope in api.permissions and scope not in client.api_grants[audience]]
        if refused:
            raise Auth0Error("access_denied", f"Client has not been granted scopes: {', '.join(refused)}", 403)
        self.request.client = client
