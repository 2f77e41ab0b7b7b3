"""Auth0's log events in plain words, for the Logs page: what happened, to whom, from where."""

from datetime import UTC, datetime

# Each code's sentence; {user} is the account's email, {app} the application's name, {where} the browser or address.
EXPLANATIONS = {
    "s": "{user} logged in to {app} {where}",
    "ssa": "{app} checked in the background that {user} is still logged in (silent authentication) {where}",
    "fsa": "{app} asked in the background whether someone is logged in {where}: nobody was, so the login page is "
           "needed",
    "f": "the login of {user} to {app} failed {where}: {description}",
    "fp": "wrong password for {user} {where}",
    "fu": "no account is called {user}: a login {where} named an email that has not signed up",
    "limit_wc": "{user} is locked {where} after too many wrong passwords in a row: wait 15 minutes",
    "limit_mu": "this address ({ip}) made too many failed logins or sign-ups: it must wait before the next",
    "ss": "{user} signed up {where}",
    "fs": "the sign-up of {user} {where} was refused: {description}",
    "slo": "{user} logged out {where}",
    "flo": "a logout {where} was refused: {description}",
    "seacft": "{app} exchanged an authorization code for tokens for {user}",
    "feacft": "{app} could not exchange an authorization code for tokens: {description}",
    "sepft": "{app} got tokens for {user} with the password grant {where}",
    "fepft": "{app} asked for tokens with the password grant and was refused: {description}",
    "seccft": "{app} got an access token for itself (client credentials) {where}",
    "feccft": "{app} asked for an access token for itself (client credentials) and was refused: {description}",
    "sertft": "{app} used a refresh token to get new tokens for {user}",
    "fertft": "{app} presented a refresh token that does not work: {description}",
    "ferrt": "{app} presented a refresh token that was already used once: the whole family of refresh tokens is "
             "revoked, in case it was stolen",
    "sede": "{app} (a device) got tokens for {user} after the user confirmed it",
    "fede": "{app} (a device) was refused tokens: {description}",
    "fdeaz": "a device's request for a code was refused {where}: {description}",
    "fdeac": "a device code typed {where} matched no waiting device: {description}",
    "fdecc": "{user} cancelled a device's request {where}",
    "scpr": "a password reset was asked for {user} {where}",
    "fcpr": "a password reset {where} was refused: {description}",
    "scp": "{user} chose a new password {where}",
    "fcp": "a new password {where} was refused: {description}",
    "sapi": "{app} changed the tenant through the Management API: {description}",
}
UNKNOWN = "event {type}: {description}"


def where(event: dict) -> str:
    """Where an event came from, as the visitor knows it."""
    if event.get("this_browser"):
        return "from this browser"
    return f"from {event['ip']}" if event.get("ip") else "from elsewhere"


def explain(event: dict) -> str:
    """One event in a plain sentence."""
    words = {
        "user": event.get("user_name") or "an unnamed user", "app": event.get("client_name") or "an application",
        "where": where(event), "ip": event.get("ip", "?"), "type": event.get("type", "?"),
        "description": event.get("description") or "no reason given",
    }
    template = EXPLANATIONS.get(event.get("type", ""), UNKNOWN)
    sentence = template.format(**words)
    # An email or application name opening the sentence keeps its own spelling.
    return (sentence if template.startswith("{") else sentence[0].upper() + sentence[1:]) + "."


def shown_time(date: str) -> str:
    """An event's ISO 8601 date as the page shows it (UTC, to the second)."""
    return datetime.fromisoformat(date).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
