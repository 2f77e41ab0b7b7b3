"""The messages API protected with Auth0's FastAPI API SDK (auth0-fastapi-api)."""

import os

import uvicorn
from fastapi import Depends, FastAPI
from fastapi_plugin import Auth0FastAPI

# A domain, never a URL: the SDK only fetches https://<domain>/... For the playground: python main.py --https
AUTH0_DOMAIN = os.environ.get("AUTH0_DOMAIN", "localhost:8000")
AUTH0_API_AUDIENCE = os.environ.get("AUTH0_API_AUDIENCE", "https://playground/api")

app = FastAPI(title="Messages API with auth0-fastapi-api")
auth0 = Auth0FastAPI(domain=AUTH0_DOMAIN, audience=AUTH0_API_AUDIENCE)


@app.get("/api/public")
async def public() -> dict[str, str]:
    """Anyone may call this."""
    return {"message": "Hello from a public endpoint: no token needed."}


@app.get("/api/secure")
async def secure(claims: dict = Depends(auth0.require_auth())) -> dict[str, object]:
    """Any valid access token for this API: the SDK hands the route its verified claims."""
    return {"message": f"Hello {claims['sub']}: your token is valid.", "permissions": claims.get("permissions", [])}


@app.get("/api/messages")
async def messages(claims: dict = Depends(auth0.require_auth(scopes="read:messages"))) -> dict[str, object]:
    """A valid access token whose scope includes read:messages; any other gets 403 insufficient_scope."""
    return {"message": f"Hello {claims['sub']}: you may read messages.", "messages": ["Welcome to the API."]}


if __name__ == "__main__":
    uvicorn.run(app, host="localhost", port=8004)
