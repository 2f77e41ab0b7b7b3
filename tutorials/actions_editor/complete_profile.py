"""The application's side of progressive profiling: the page the Action redirects to, and its way back."""

import time
from urllib.parse import urlencode

import jwt

TOKEN_LIFETIME = 300


def answer_token(session_token: str, state: str, favorite_color: str, secret: str) -> str:
    """The token the page sends back to /continue: it checks the Action's token first, then signs the answer."""
    asked = jwt.decode(session_token, secret, algorithms=["HS256"])  # raises if forged or expired
    return jwt.encode({"state": state, "sub": asked["sub"], "favorite_color": favorite_color,
                       "exp": int(time.time()) + TOKEN_LIFETIME}, secret, algorithm="HS256")


def continue_url(tenant: str, state: str, token: str) -> str:
    """Where the page sends the browser back: the tenant's /continue with the login's state and the answer."""
    return f"{tenant.rstrip('/')}/continue?{urlencode({'state': state, 'session_token': token})}"
