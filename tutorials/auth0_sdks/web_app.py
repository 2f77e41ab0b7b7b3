"""Log in with Auth0's FastAPI SDK (auth0-fastapi): its routes redirect, take the callback and keep the session."""

import os
import secrets

import httpx
import uvicorn
from auth0_fastapi.auth.auth_client import AuthClient
from auth0_fastapi.config import Auth0Config
from auth0_fastapi.errors import register_exception_handlers
from auth0_fastapi.server.routes import register_auth_routes, router
from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import HTMLResponse
from starlette.middleware.sessions import SessionMiddleware

# A domain, never a URL: the SDK always calls https://<domain>. For the playground: python main.py --https
AUTH0_DOMAIN = os.environ.get("AUTH0_DOMAIN", "localhost:8000")
AUTH0_CLIENT_ID = os.environ.get("AUTH0_CLIENT_ID", "web-app")
AUTH0_CLIENT_SECRET = os.environ.get("AUTH0_CLIENT_SECRET", "web-app-secret")
AUTH0_API_AUDIENCE = os.environ.get("AUTH0_API_AUDIENCE", "https://playground/api")
APP_BASE_URL = os.environ.get("APP_BASE_URL", "http://localhost:3000")
SESSION_SECRET = os.environ.get("SESSION_SECRET", secrets.token_hex(32))
MESSAGES_API_URL = os.environ.get("MESSAGES_API_URL", "http://localhost:8004/api/messages")

app = FastAPI(title="Web login with auth0-fastapi")
app.add_middleware(SessionMiddleware, secret_key=SESSION_SECRET)

config = Auth0Config(
    domain=AUTH0_DOMAIN,
    client_id=AUTH0_CLIENT_ID,
    client_secret=AUTH0_CLIENT_SECRET,
    app_base_url=APP_BASE_URL,
    secret=SESSION_SECRET,
    audience=AUTH0_API_AUDIENCE,  # the login also gets an access token for this API
    authorization_params={"scope": "openid profile email offline_access read:messages"},
)
auth_client = AuthClient(config)
app.state.config = config
app.state.auth_client = auth_client
register_auth_routes(router, config)  # /auth/login, /auth/callback, /auth/logout, /auth/backchannel-logout
app.include_router(router)
register_exception_handlers(app)

messages_api = httpx.AsyncClient(timeout=10)  # how this app calls the API of auth0_sdks/api.py


@app.get("/", response_class=HTMLResponse)
async def home(request: Request, response: Response) -> str:
    """Who is signed in, with links to log in or out."""
    user = await auth_client.client.get_user(store_options={"request": request, "response": response})
    if user is None:
        return '<p>Not signed in. <a href="/auth/login">Log in</a></p>'
    links = '<a href="/profile">Profile</a> <a href="/messages">Messages</a> <a href="/auth/logout">Log out</a>'
    return f"<p>Signed in. {links}</p>"


@app.get("/profile")
async def profile(request: Request, response: Response,
                  session: dict = Depends(auth_client.require_session)) -> dict:
    """The signed-in user's profile, from the ID token the SDK keeps in its session cookie."""
    return await auth_client.client.get_user(store_options={"request": request, "response": response})


@app.get("/messages")
async def messages(request: Request, response: Response,
                   session: dict = Depends(auth_client.require_session)) -> dict:
    """Call the protected API with the user's access token (the SDK refreshes it when it has expired)."""
    token = await auth_client.client.get_access_token(store_options={"request": request, "response": response})
    answer = await messages_api.get(MESSAGES_API_URL, headers={"Authorization": f"Bearer {token}"})
    return {"status": answer.status_code, "api_said": answer.json()}


if __name__ == "__main__":
    uvicorn.run(app, host="localhost", port=3000)
