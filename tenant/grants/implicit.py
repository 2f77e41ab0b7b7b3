"""The implicit grant (legacy): tokens in the fragment."""

from dataclasses import replace

from authlib.oauth2.rfc6749 import grants

from tenant.grants.base import ChecksRedirectUri, IssuesAuth0Tokens, check_audience
from tenant.oauth import Auth0Error
from tenant.store.users import User
from tenant.tokens import TokenOrder


class Implicit(IssuesAuth0Tokens, ChecksRedirectUri, grants.ImplicitGrant):
    """Implicit grant (legacy): `token`, `id_token token` and `id_token`, delivered in the fragment."""

    RESPONSE_TYPES = {"token", "id_token token", "id_token"}

    def validate_authorization_request(self) -> str:
        """authlib's checks, then the audience and OpenID Connect's required nonce."""
        redirect_uri = super().validate_authorization_request()
        redirect = {"redirect_uri": redirect_uri, "redirect_fragment": True}
        check_audience(self.services.directory, self.request.audience, **redirect)
        if "id_token" in self.request.payload.response_type.split():
            if not self.request.payload.data.get("nonce"):
                raise Auth0Error("invalid_request", "Nonce is required for the id_token response type", **redirect)
            if "openid" not in self.request.scope.split():
                raise Auth0Error("invalid_request", "The id_token response type requires the openid scope", **redirect)
        return redirect_uri

    def token_order(self, user: User | None, scope: str, include_refresh_token: bool) -> TokenOrder:
        """No refresh token in the front channel; an ID token only when the response type names it."""
        response_types = self.request.payload.response_type.split()
        order = super().token_order(user, scope, False)
        return replace(order, include_id_token="id_token" in response_types, id_token_only=response_types == ["id_token"])

    def refusal_redirect(self) -> dict:
        """A refused login goes back in the fragment, like every implicit answer."""
        return {"redirect_uri": self.request.payload.redirect_uri, "redirect_fragment": True}
