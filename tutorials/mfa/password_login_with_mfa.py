"""A trusted first-party app's password login, finished with the authenticator app's code (Auth0's MFA API)."""

import base64
import getpass
import json
import os

import httpx

MFA_OTP_GRANT = "http://auth0.com/oauth/grant-type/mfa-otp"


class MfaRequired(Exception):
    """The tenant wants a second factor: continue with this mfa_token (it lasts 10 minutes)."""

    def __init__(self, mfa_token: str) -> None:
        super().__init__("mfa_required")
        self.mfa_token = mfa_token


def password_login(client: httpx.Client, tenant_url: str, app: dict[str, str], username: str, password: str,
                   audience: str) -> dict:
    """Tokens for the user; MfaRequired when the user has enrolled an authenticator app."""
    response = client.post(f"{tenant_url}/oauth/token", data={
        "grant_type": "password", "username": username, "password": password, "audience": audience,
        "scope": "openid profile email", **app,
    })
    if response.status_code == 403 and response.json().get("error") == "mfa_required":
        raise MfaRequired(response.json()["mfa_token"])
    response.raise_for_status()
    return response.json()


def finish_with_code(client: httpx.Client, tenant_url: str, app: dict[str, str], mfa_token: str, code: str) -> dict:
    """The tokens, once the authenticator app's current code is accepted (each code works once)."""
    response = client.post(f"{tenant_url}/oauth/token", data={
        "grant_type": MFA_OTP_GRANT, "mfa_token": mfa_token, "otp": code, **app,
    })
    response.raise_for_status()
    return response.json()


def logged_in_with_mfa(id_token_claims: dict) -> bool:
    """Whether the login included a second factor: the ID token's `amr` lists `mfa`."""
    amr = id_token_claims.get("amr")
    return isinstance(amr, list) and "mfa" in amr


def claims_of(token: str) -> dict:
    """A JWT's claims, read without checking: fine for tokens that came straight from the tenant over TLS."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


if __name__ == "__main__":
    tenant = os.environ.get("TENANT_URL") or f"https://{os.environ['AUTH0_DOMAIN']}"
    web_app = {"client_id": os.environ["AUTH0_CLIENT_ID"], "client_secret": os.environ["AUTH0_CLIENT_SECRET"]}
    with httpx.Client(timeout=10) as http:
        email = input("Email: ")
        try:
            tokens = password_login(http, tenant, web_app, email, getpass.getpass(), os.environ["AUTH0_API_AUDIENCE"])
        except MfaRequired as needed:
            tokens = finish_with_code(http, tenant, web_app, needed.mfa_token, input("Code from your app: "))
        claims = claims_of(tokens["id_token"])
        print("amr:", claims.get("amr"), "- logged in with MFA:", logged_in_with_mfa(claims))
