"""An API with one sensitive endpoint that needs a login with MFA: step-up authentication (RFC 9470)."""

import os

import uvicorn
from fastapi import FastAPI, HTTPException, Security

# Against an Auth0 tenant, `from fastapi_auth0 import Auth0` is the same API (step 6 explains).
from tokens.verification import Auth0, VerifiedToken

AUTH0_DOMAIN = os.environ.get("AUTH0_DOMAIN", "http://localhost:8000")  # Auth0: my-team.eu.auth0.com
AUTH0_API_AUDIENCE = os.environ.get("AUTH0_API_AUDIENCE", "https://playground/api")
MFA_POLICY = "http://schemas.openid.net/pape/policies/2007/06/multi-factor"

auth = Auth0(domain=AUTH0_DOMAIN, api_audience=AUTH0_API_AUDIENCE)
app = FastAPI(title="Transfers API")


def login_included_mfa(claims: dict) -> bool:
    """`amr` lists mfa, or `acr` is the multi-factor policy."""
    amr = claims.get("amr")
    return (isinstance(amr, list) and "mfa" in amr) or claims.get("acr") == MFA_POLICY


async def token_with_mfa(token: VerifiedToken = Security(auth.get_token)) -> VerifiedToken:
    """A valid token whose login included MFA; otherwise RFC 9470's 401, naming the acr_values to log in with."""
    if not login_included_mfa(token.claims):
        challenge = ('Bearer error="insufficient_user_authentication", '
                     'error_description="A login with multi-factor authentication is required", '
                     f'acr_values="{MFA_POLICY}"')
        raise HTTPException(401, "Log in again with MFA", headers={"WWW-Authenticate": challenge})
    return token


@app.post("/api/transfer")
async def post_transfer(amount: float, token: VerifiedToken = Security(token_with_mfa)) -> dict[str, str]:
    """Move money: only for a login that passed a second factor."""
    return {"message": f"{token.claims['sub']} sent {amount:.2f}."}


if __name__ == "__main__":
    uvicorn.run(app, host="localhost", port=8003)
