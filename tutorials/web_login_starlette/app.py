"""Log in with Auth0 from Starlette: authlib sends the browser to the tenant and back, a signed cookie remembers who."""

import secrets
from html import escape
from urllib.parse import urlencode

import httpx
import uvicorn
from authlib.integrations.starlette_client import OAuth
from starlette.applications import Starlette
from starlette.config import Config
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

config = Config()  # reads the environment; Config(".env") would read a .env file as well
AUTH0_DOMAIN = config("AUTH0_DOMAIN", default="")
# Auth0 is always https://<domain>; the playground's built-in tenant is served over plain http.
TENANT_URL = f"https://{AUTH0_DOMAIN}" if AUTH0_DOMAIN else config("TENANT_URL", default="http://localhost:8000")
AUTH0_CLIENT_ID = config("AUTH0_CLIENT_ID", default="web-app")
AUTH0_CLIENT_SECRET = config("AUTH0_CLIENT_SECRET", default="web-app-secret")
SESSION_SECRET = config("SESSION_SECRET", default=secrets.token_urlsafe(32))

oauth = OAuth()
oauth.register(
    "auth0",
    client_id=AUTH0_CLIENT_ID,
    client_secret=AUTH0_CLIENT_SECRET,
    server_metadata_url=f"{TENANT_URL}/.well-known/openid-configuration",
    client_kwargs={"scope": "openid profile email", "code_challenge_method": "S256"},
)


async def index(request: Request) -> HTMLResponse:
    """Who is signed in, with a link to log in or out."""
    user = request.session.get("user")
    if user is None:
        return HTMLResponse('<p>Not signed in. <a href="/auth/login">Log in</a></p>')
    name = escape(user.get("name") or user["sub"])
    links = '<a href="/profile">Profile</a> <a href="/auth/logout">Log out</a>'
    return HTMLResponse(f"<p>Signed in as {name}. {links}</p>")


async def profile(request: Request) -> Response:
    """The signed-in user's ID-token claims; a signed-out visitor is sent to log in."""
    user = request.session.get("user")
    if user is None:
        return RedirectResponse(request.url_for("auth:login"), status_code=303)
    return JSONResponse(user)


async def login(request: Request) -> Response:
    """Send the browser to the tenant's login page."""
    return await oauth.auth0.authorize_redirect(request, str(request.url_for("auth:callback")))


async def callback(request: Request) -> Response:
    """Swap the code for tokens, check the ID token, and remember the user's claims."""
    token = await oauth.auth0.authorize_access_token(request)
    request.session["user"] = dict(token["userinfo"])
    return RedirectResponse(request.url_for("index"), status_code=303)


async def logout(request: Request) -> Response:
    """Forget the user here, then let the tenant end its own session and send the browser back."""
    request.session.clear()
    query = urlencode({"returnTo": str(request.url_for("index")), "client_id": AUTH0_CLIENT_ID})
    return RedirectResponse(f"{TENANT_URL}/v2/logout?{query}", status_code=303)


async def tenant_unreachable(request: Request, error: Exception) -> Response:
    """The tenant did not answer: say where the app looked, in one line."""
    message = f"No answer from the tenant at {TENANT_URL}: start it, or set TENANT_URL (AUTH0_DOMAIN for Auth0)."
    return PlainTextResponse(message, status_code=503)


app = Starlette(
    routes=[
        Route("/", index, name="index"),
        Route("/profile", profile, name="profile"),
        Mount("/auth", name="auth", routes=[
            Route("/login", login, name="login"),
            Route("/callback", callback, name="callback"),
            Route("/logout", logout, name="logout"),
        ]),
    ],
    middleware=[Middleware(SessionMiddleware, secret_key=SESSION_SECRET, same_site="lax")],
    exception_handlers={httpx.TransportError: tenant_unreachable},
)

if __name__ == "__main__":
    uvicorn.run(app, host="localhost", port=9001)
