"""A recorded flow as the inspector page shows it: steps in order, each value explained, tokens masked."""

import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flow_inspector.records import Flow, HttpCall, mask, pkce_challenge

TOKEN_NAMES = ("access_token", "id_token", "refresh_token")
TOKEN_MASK_KEEP = 10

PARAMETERS = {
    "response_type": "code: ask for an authorization code, which this site then exchanges on the back channel.",
    "client_id": "Which application is asking: this site's Regular Web Application.",
    "redirect_uri": "Where the tenant sends the browser back with the code. It must be one of the application's "
                    "Allowed Callback URLs, and the token request repeats it exactly.",
    "scope": "What the application asks for: openid (an ID token), profile and email (claims about the user), "
             "offline_access (a refresh token), and the API's own scopes.",
    "audience": "The API the access token is for (Auth0's parameter). Without it the access token is opaque.",
    "state": "A random value this site keeps in your session and checks when the browser comes back, so that "
             "nobody can slip you a login you did not start (CSRF).",
    "nonce": "A random value the tenant copies into the ID token; this site checks it, so that an ID token "
             "cannot be replayed into another login.",
    "code_challenge": "PKCE: the hash of a secret verifier this site keeps. Only the holder of the verifier can "
                      "redeem the code, so a stolen code is useless.",
    "code_challenge_method": "S256: the challenge is BASE64URL(SHA-256(verifier)). 'plain' would send the "
                             "verifier itself, and is refused by careful servers.",
    "prompt": "prompt=none: do not show a login page; answer at once from the tenant session, or with an error.",
    "response_mode": "How the answer travels back: query, fragment, form_post or web_message.",
    "grant_type": "Which grant this token request uses.",
    "code": "The single-use authorization code from the redirect. It is short-lived and already spent.",
    "code_verifier": "PKCE: the secret the challenge was computed from. The tenant hashes it and compares.",
    "client_secret": "The application's secret: this is why the exchange runs server to server, never in a "
                     "browser. Masked here; it never leaves this server.",
    "username": "The user's email (the password grant sends the user's credentials: trusted first-party apps only).",
    "password": "The user's password, hidden here: with the password grant the application sees it.",
    "email": "The email the browser sent.",
    "playground_demo_lifetime": "Not Auth0's: the built-in tenant's demo-only option, an access token that lives "
                                "this many seconds. Accepted from this site's own server only.",
    "auth0-forwarded-for": "The visitor's address, so that the tenant's brute-force protection blocks them, not "
                           "this server.",
    "content-type": "The request is an HTML form (application/x-www-form-urlencoded), as OAuth 2.0 specifies.",
    "authorization": "client_secret_basic: the client id and secret in an HTTP Basic header.",
}
RESPONSE_FIELDS = {
    "access_token": "For the API: send it as 'Authorization: Bearer <token>'.",
    "id_token": "For this site: who signed in, checked once here (signature, issuer, audience, nonce).",
    "refresh_token": "Trades for new tokens without a login; rotates on each use.",
    "token_type": "Bearer: whoever holds the access token may use it, so keep it safe.",
    "expires_in": "Seconds until the access token expires.",
    "scope": "The scopes granted, which may be fewer than asked for.",
}
CALLBACK_FIELDS = {
    "code": PARAMETERS["code"],
    "state": "Must equal the state of the authorization request: this site checked it against your session.",
    "error": "The tenant's error code.",
    "error_description": "The tenant's reason.",
}


@dataclass
class Value:
    """One named value with its meaning; `full` is set for a masked token its owner may reveal."""

    name: str
    shown: str
    meaning: str
    full: str | None = None


@dataclass
class Step:
    """One step of a flow."""

    title: str
    text: str
    values: list[Value] = field(default_factory=list)
    raw: str | None = None
    raw_full: str | None = None


def values_of(pairs: dict[str, Any], meanings: dict[str, str]) -> list[Value]:
    """Name, value and meaning of each pair, tokens masked with a reveal."""
    values = []
    for name, value in pairs.items():
        text = value if isinstance(value, str) else json.dumps(value)
        if name in TOKEN_NAMES and isinstance(value, str):
            values.append(Value(name, mask(value, TOKEN_MASK_KEEP), meanings.get(name, ""), full=value))
        else:
            values.append(Value(name, text, meanings.get(name, "")))
    return values


def masked_body(body: Any) -> Any:
    """A JSON answer with its tokens masked."""
    if not isinstance(body, dict):
        return body
    return {name: mask(value, TOKEN_MASK_KEEP) if name in TOKEN_NAMES and isinstance(value, str) else value
            for name, value in body.items()}


def back_channel_step(call: HttpCall) -> Step:
    """One request from this site to the tenant, and its answer."""
    path = urlsplit(call.url).path
    request_lines = [f"{call.method} {call.url}"] + [f"{name}: {value}" for name, value in call.headers.items()]
    if call.form:
        request_lines += ["", "&".join(f"{name}={value}" for name, value in call.form.items())]
    answer = json.dumps(masked_body(call.response_body), indent=2, ensure_ascii=False) if call.response_body is not None else ""
    full = json.dumps(call.response_body, indent=2) if isinstance(call.response_body, dict) and any(
        name in call.response_body for name in TOKEN_NAMES) else None
    has_tokens = full is not None
    return Step(
        title=f"Back channel: this site → the tenant, {call.method} {path}",
        text=f"Server to server: your browser never sees this request. The tenant answered {call.status}." + (" Tokens are masked; reveal shows yours whole." if has_tokens else ""),
        values=values_of(call.headers, PARAMETERS) + values_of(call.form or {}, PARAMETERS)
        + (values_of({name: value for name, value in call.response_body.items() if name in RESPONSE_FIELDS},
                     RESPONSE_FIELDS) if isinstance(call.response_body, dict) else []),
        raw="\n".join(request_lines) + f"\n\nHTTP {call.status}\n" + answer,
        raw_full=("\n".join(request_lines) + f"\n\nHTTP {call.status}\n" + full) if has_tokens else None,
    )


def web_login_steps(flow: Flow) -> list[Step]:
    """Authorization request, login, redirect back, PKCE, then the back channel."""
    params = dict(parse_qsl(urlsplit(flow.authorization_url or "").query))
    steps = [
        Step("Your browser is sent to the tenant's /authorize",
             "This site answered /auth/login with a redirect to this URL. Everything in it is visible to the "
             "browser, so nothing in it is secret.",
             values_of(params, PARAMETERS), raw=flow.authorization_url),
        Step("You sign in on the tenant's page",
             "The tenant checks your password on its own page: this site never sees it."),
    ]
    if flow.callback is not None:
        values = values_of(flow.callback, CALLBACK_FIELDS)
        if "state" in flow.callback:
            same = flow.callback["state"] == params.get("state")
            values.append(Value("state check", "matches" if same else "does not match",
                                "The state that came back, compared with the one sent in step 1."))
        steps.append(Step("The tenant sends your browser back to /auth/callback",
                          "A redirect carrying the code (single-use, and spent by the time you read this) and the state.",
                          values))
    if flow.code_verifier:
        computed = pkce_challenge(flow.code_verifier)
        sent = params.get("code_challenge", "")
        steps.append(Step(
            "PKCE: how the verifier hashes to the challenge",
            "This site made a random verifier before step 1 and kept it in your session; it sent only its hash. "
            "At the token request it sends the verifier, and the tenant repeats this computation.",
            [Value("code_verifier", computed["verifier"], "43 to 128 random characters, kept by this site."),
             Value("SHA-256(verifier)", computed["sha256_hex"], "The hash of the verifier's ASCII bytes, in hex."),
             Value("BASE64URL(hash)", computed["challenge"], "The hash in base64url without padding: the challenge."),
             Value("code_challenge sent in step 1", sent,
                   "Equal to the line above: the tenant will accept the verifier." if sent == computed["challenge"]
                   else "Different from the line above: the tenant would refuse the code.")]))
    steps += [back_channel_step(call) for call in flow.back_channel]
    return steps


def password_grant_steps(flow: Flow) -> list[Step]:
    """The browser's request to this site, then the back channel."""
    request = flow.browser_request or {}
    steps = [Step(f"Your browser → this site: {request.get('method', 'POST')} {request.get('url', '')}",
                  "The Try-it panel sent your email and password to this site, which passes them to the tenant.",
                  values_of(request.get("json", {}), PARAMETERS))]
    return steps + [back_channel_step(call) for call in flow.back_channel]


def describe(flow: Flow) -> dict[str, Any]:
    """What the inspector page shows for one flow."""
    steps = web_login_steps(flow) if flow.authorization_url else password_grant_steps(flow)
    started = time.strftime("%H:%M:%S UTC", time.gmtime(flow.started))
    return {"id": flow.id, "kind": flow.kind, "started": started, "outcome": flow.outcome, "steps": steps}
