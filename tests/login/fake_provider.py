"""An Auth0-shaped OpenID provider answered in-process, to drive logins against a "real" tenant and to break them."""

import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx
from joserfc import jwt
from joserfc.jwk import RSAKey

Answer = Callable[[httpx.Request], httpx.Response]


class FakeProvider:
    """Discovery, JWKS and token endpoint of `https://<domain>/`; each answer can be replaced to simulate faults."""

    def __init__(self, domain: str, client_id: str, audience: str) -> None:
        self.issuer = f"https://{domain}/"
        self.client_id = client_id
        self.audience = audience
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key"}, auto_kid=False)
        self.nonce: str | None = None
        self.token_requests: list[httpx.Request] = []
        self.routes: dict[str, Answer] = {
            "/.well-known/openid-configuration": self.discovery,
            "/.well-known/jwks.json": self.jwks,
            "/oauth/token": self.token,
        }

    def __call__(self, request: httpx.Request) -> httpx.Response:
        answer = self.routes.get(request.url.path)
        return answer(request) if answer else httpx.Response(404, json={"error": "not_found"})

    def discovery(self, request: httpx.Request) -> httpx.Response:
        """The discovery document, as Auth0 publishes it."""
        return httpx.Response(200, json={
            "issuer": self.issuer, "authorization_endpoint": f"{self.issuer}authorize",
            "token_endpoint": f"{self.issuer}oauth/token", "jwks_uri": f"{self.issuer}.well-known/jwks.json",
            "userinfo_endpoint": f"{self.issuer}userinfo", "end_session_endpoint": f"{self.issuer}oidc/logout",
            "id_token_signing_alg_values_supported": ["RS256"], "code_challenge_methods_supported": ["S256", "plain"],
        })

    def jwks(self, request: httpx.Request) -> httpx.Response:
        """The public key that verifies the tokens."""
        return httpx.Response(200, json={"keys": [self.key.as_dict(private=False)]})

    def token(self, request: httpx.Request) -> httpx.Response:
        """An ID token for the nonce of the last authorize URL, and a JWT access token for the API."""
        self.token_requests.append(request)
        now = int(time.time())
        id_claims = {"iss": self.issuer, "sub": "auth0|carol", "aud": self.client_id, "iat": now, "exp": now + 600,
                     "nonce": self.nonce, "name": "Carol Example", "email": "carol@example.com",
                     "email_verified": True, "picture": "https://example.com/carol.png"}
        access_claims = {"iss": self.issuer, "sub": "auth0|carol", "aud": [self.audience], "iat": now,
                         "exp": now + 600, "scope": "openid profile email", "permissions": ["read:messages"]}
        return httpx.Response(200, json={
            "access_token": self.sign(access_claims), "id_token": self.sign(id_claims),
            "token_type": "Bearer", "expires_in": 600,
        })

    def sign(self, claims: dict) -> str:
        """A JWT signed with the provider's key."""
        return jwt.encode({"alg": "RS256", "kid": "test-key", "typ": "JWT"}, claims, self.key)

    def remember_nonce(self, authorize_url: str) -> dict[str, str]:
        """Read the authorize URL the site redirected to; keep its nonce for the ID token."""
        query = {key: values[0] for key, values in parse_qs(urlsplit(authorize_url).query).items()}
        self.nonce = query.get("nonce")
        return query
