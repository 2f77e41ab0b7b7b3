"""An API that reads the Action's claim through fastapi-auth0: `Auth0User.email` comes from the namespaced claim."""

import os

# fastapi-auth0 reads its namespace once, when it is first imported: set it before that.
os.environ.setdefault("AUTH0_RULE_NAMESPACE", "https://playground.example")

import uvicorn  # noqa: E402
from fastapi import FastAPI, Security  # noqa: E402

# Against an Auth0 tenant, `from fastapi_auth0 import Auth0, Auth0User` is the same API (step 6 explains).
from tokens.verification import Auth0, Auth0User  # noqa: E402

AUTH0_DOMAIN = os.environ.get("AUTH0_DOMAIN", "http://localhost:8000")  # Auth0: my-team.eu.auth0.com
AUTH0_API_AUDIENCE = os.environ.get("AUTH0_API_AUDIENCE", "https://playground/api")

auth = Auth0(domain=AUTH0_DOMAIN, api_audience=AUTH0_API_AUDIENCE)
app = FastAPI(title="Who am I")


@app.get("/api/me")
async def get_me(user: Auth0User = Security(auth.get_user)) -> dict[str, str | None]:
    """Who the token is about, and the email the post-login Action put in it."""
    return {"id": user.id, "email": user.email}


if __name__ == "__main__":
    uvicorn.run(app, host="localhost", port=8003)
