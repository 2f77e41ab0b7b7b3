"""Log in with Auth0 from Flask: authlib's Flask client, a profile page of the user's claims, and logout."""

import json
import os
import secrets
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

import requests
from authlib.integrations.flask_client import OAuth
from flask import Flask, redirect, render_template, session, url_for
from werkzeug.wrappers import Response

AUTH0_DOMAIN = os.environ.get("AUTH0_DOMAIN", "")
# Auth0 is always https://<domain>; the playground's built-in tenant is served over plain http.
TENANT_URL = f"https://{AUTH0_DOMAIN}" if AUTH0_DOMAIN else os.environ.get("TENANT_URL", "http://localhost:8000")
AUTH0_CLIENT_ID = os.environ.get("AUTH0_CLIENT_ID", "web-app")
AUTH0_CLIENT_SECRET = os.environ.get("AUTH0_CLIENT_SECRET", "web-app-secret")

app = Flask(__name__)
app.secret_key = os.environ.get("APP_SECRET_KEY") or secrets.token_urlsafe(32)

oauth = OAuth(app)
oauth.register(
    "auth0",
    client_id=AUTH0_CLIENT_ID,
    client_secret=AUTH0_CLIENT_SECRET,
    server_metadata_url=f"{TENANT_URL}/.well-known/openid-configuration",
    client_kwargs={"scope": "openid profile email", "code_challenge_method": "S256"},
)


def login_required(view: Callable[..., str]) -> Callable[..., str | Response]:
    """Send a signed-out visitor to log in before the view runs."""
    @wraps(view)
    def guarded(*args: object, **kwargs: object) -> str | Response:
        if "user" not in session:
            return redirect(url_for("login"))
        return view(*args, **kwargs)
    return guarded


@app.route("/")
def home() -> str:
    """The landing page: a login button, or a greeting."""
    return render_template("home.html", user=session.get("user"))


@app.route("/login")
def login() -> Response:
    """Send the browser to the tenant's login page."""
    return oauth.auth0.authorize_redirect(redirect_uri=url_for("callback", _external=True))


@app.route("/callback")
def callback() -> Response:
    """Swap the code for tokens, check the ID token, and keep the user's claims in the session."""
    token = oauth.auth0.authorize_access_token()
    session["user"] = dict(token["userinfo"])
    return redirect(url_for("profile"))


@app.route("/profile")
@login_required
def profile() -> str:
    """The signed-in user's name, picture and every claim of their ID token."""
    user = session["user"]
    return render_template("profile.html", user=user, claims=json.dumps(user, indent=2, sort_keys=True))


@app.route("/logout")
def logout() -> Response:
    """Forget the user here, then let the tenant end its own session and send the browser home."""
    session.clear()
    query = urlencode({"returnTo": url_for("home", _external=True), "client_id": AUTH0_CLIENT_ID})
    return redirect(f"{TENANT_URL}/v2/logout?{query}")


@app.errorhandler(requests.ConnectionError)
def tenant_unreachable(error: requests.ConnectionError) -> tuple[str, int, dict[str, str]]:
    """The tenant did not answer: say where the app looked, in one line."""
    message = f"No answer from the tenant at {TENANT_URL}: start it, or set TENANT_URL (AUTH0_DOMAIN for Auth0)."
    return message, 503, {"Content-Type": "text/plain; charset=utf-8"}


if __name__ == "__main__":
    app.run(host="localhost", port=5000)
