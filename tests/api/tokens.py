"""Getting tokens for the API tests: from the built-in tenant through each grant, or forged with a test key."""

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.conftest import claims_of, header_of

API_AUDIENCE = "https://playground/api"
ISSUER = "http://testserver/"
SWAGGER_REDIRECT = "http://testserver/docs/oauth2-redirect"
USERS = {
    "alice": ("alice@example.com", "alice-demo-1"),
    "bob": ("bob@example.com", "bob-demo-1"),
    "admin": ("admin@example.com", "admin-demo-1"),
}


def password_grant(client: TestClient, user: str, scope: str = "openid read:messages", **extra: str) -> dict:
    """The tenant's token response for a password grant by the web app."""
    email, password = USERS[user]
    form = {"grant_type": "password", "username": email, "password": password, "audience": API_AUDIENCE,
            "scope": scope, "client_id": "web-app", "client_secret": "web-app-secret", **extra}
    response = client.post("/oauth/token", data=form)
    assert response.status_code == 200, response.text
    return response.json()


def client_credentials(client: TestClient) -> str:
    """A machine-to-machine access token for the m2m client."""
    form = {"grant_type": "client_credentials", "client_id": "m2m", "client_secret": "m2m-secret",
            "audience": API_AUDIENCE}
    response = client.post("/oauth/token", data=form)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def sign_in_on_login_page(client: TestClient, query: dict[str, str], user: str) -> str:
    """Follow /authorize to the tenant's login page, submit it, and return where the tenant redirects."""
    response = client.get("/authorize?" + urlencode(query), follow_redirects=False)
    assert response.status_code == 302, response.text
    login_page = client.get(response.headers["location"])
    assert login_page.status_code == 200, login_page.text
    state = re.search(r'name="state" value="([^"]+)"', login_page.text).group(1)
    email, password = USERS[user]
    response = client.post("/u/login", data={"state": state, "username": email, "password": password},
                           follow_redirects=False)
    assert response.status_code in (302, 303), response.text
    return response.headers["location"]


def swagger_query(response_type: str, state: str) -> dict[str, str]:
    """What Swagger UI sends to /authorize, with the audience its authorization URL carries."""
    return {"response_type": response_type, "client_id": "swagger-ui", "redirect_uri": SWAGGER_REDIRECT,
            "scope": "openid profile email read:messages", "state": state, "audience": API_AUDIENCE}


def pkce_login(client: TestClient, user: str) -> str:
    """An access token via authorization code + PKCE, as Swagger UI gets it."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    state = secrets.token_urlsafe(8)
    query = swagger_query("code", state) | {"code_challenge": challenge, "code_challenge_method": "S256"}
    location = urlsplit(sign_in_on_login_page(client, query, user))
    params = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert params["state"] == state
    form = {"grant_type": "authorization_code", "client_id": "swagger-ui", "code": params["code"],
            "redirect_uri": SWAGGER_REDIRECT, "code_verifier": verifier}
    response = client.post("/oauth/token", data=form)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def implicit_login(client: TestClient, user: str) -> str:
    """An access token via the implicit flow (legacy), as Swagger UI gets it."""
    state = secrets.token_urlsafe(8)
    location = urlsplit(sign_in_on_login_page(client, swagger_query("token", state), user))
    params = {name: values[0] for name, values in parse_qs(location.fragment).items()}
    assert params["state"] == state
    return params["access_token"]


def b64url(data: bytes) -> str:
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64json(value: object) -> str:
    """A JSON value as a base64url segment."""
    return b64url(json.dumps(value).encode())


def parts(token: str) -> tuple[dict, dict]:
    """A JWT's header and claims, unverified."""
    return header_of(token), claims_of(token)


def access_claims(**overrides: object) -> dict:
    """Claims of a well-formed access token for the API, as the built-in tenant issues them."""
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": "auth0|forged", "aud": [API_AUDIENCE, f"{ISSUER}userinfo"], "azp": "web-app",
              "scope": "openid read:messages", "permissions": ["read:messages"], "iat": now, "exp": now + 3600}
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def sign(claims: dict, key: RSAKey, **header: object) -> str:
    """A compact RS256 JWT signed with `key`."""
    fields = {"alg": "RS256", "typ": "JWT", "kid": key.kid, **header}
    return jwt.encode({name: value for name, value in fields.items() if value is not None}, claims, key)


def sign_hs256(claims: dict, secret: bytes, kid: str) -> str:
    """A compact HS256 JWT: the algorithm-confusion attack with the tenant's public key as the secret."""
    signing_input = f"{b64json({'alg': 'HS256', 'typ': 'JWT', 'kid': kid})}.{b64json(claims)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def unsigned(claims: dict, kid: str) -> str:
    """A compact JWT with alg none and no signature."""
    return f"{b64json({'alg': 'none', 'typ': 'JWT', 'kid': kid})}.{b64json(claims)}."


def new_key(kid: str | None = None) -> RSAKey:
    """A fresh RSA key pair, like a tenant's."""
    return RSAKey.generate_key(2048, parameters={"kid": kid or secrets.token_urlsafe(12)}, private=True)


def jwks_of(key: RSAKey) -> dict:
    """The JWKS a tenant holding `key` publishes."""
    return {"keys": [key.as_dict(private=False) | {"use": "sig", "alg": "RS256"}]}


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}
