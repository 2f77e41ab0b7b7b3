"""An API protected with fastapi-auth0: one endpoint for anyone, one for any valid token, one for a scope."""

import os

import uvicorn
from fastapi import Depends, FastAPI, Security

# Against an Auth0 tenant, `from fastapi_auth0 import Auth0, Auth0User` is the same API (the step explains).
from tokens.verification import Auth0, Auth0User

AUTH0_DOMAIN = os.environ.get("AUTH0_DOMAIN", "http://localhost:8000")  # Auth0: my-team.eu.auth0.com
AUTH0_API_AUDIENCE = os.environ.get("AUTH0_API_AUDIENCE", "https://playground/api")
AUTH0_SWAGGER_CLIENT_ID = os.environ.get("AUTH0_SWAGGER_CLIENT_ID", "swagger-ui")


auth = Auth0(
    domain=AUTH0_DOMAIN,
    api_audience=AUTH0_API_AUDIENCE,
    scopes={"read:messages": "Read messages"},
)

app = FastAPI(
    title="Messages API",
    swagger_ui_init_oauth={
        "clientId": AUTH0_SWAGGER_CLIENT_ID,
        "usePkceWithAuthorizationCodeGrant": True,
        "scopes": "read:messages",
    },
)
# For Swagger UI's Authorize button: the sign-in flows to offer. Tokens are checked by auth.get_user.
SWAGGER_SIGN_IN = [Depends(auth.authcode_scheme), Depends(auth.implicit_scheme)]


@app.get("/api/public")
async def get_public() -> dict[str, str]:
    """Anyone may call this."""
    return {"message": "Hello from a public endpoint: no token needed."}


@app.get("/api/secure", dependencies=SWAGGER_SIGN_IN)
async def get_secure(user: Auth0User = Security(auth.get_user)) -> dict[str, object]:
    """Any valid access token for this API."""
    return {"message": f"Hello {user.id}: your token is valid.", "permissions": user.permissions}


@app.get("/api/scoped", dependencies=SWAGGER_SIGN_IN)
async def get_scoped(user: Auth0User = Security(auth.get_user, scopes=["read:messages"])) -> dict[str, object]:
    """A valid access token whose scope includes read:messages."""
    return {"message": f"Hello {user.id}: you may read messages.", "permissions": user.permissions}


if __name__ == "__main__":
    uvicorn.run(app, host="localhost", port=8002)
