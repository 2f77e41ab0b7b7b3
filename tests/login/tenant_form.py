"""Drive the built-in tenant's login and sign-up forms with an HTTP client, as a browser would."""

import html
import re

import httpx

FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)"')
STATE_FIELD = re.compile(r'<input type="hidden" name="state" value="([^"]*)"')
SIGNUP_LINK = re.compile(r'<a href="([^"]+screen_hint=signup)"')


def form_of(page: httpx.Response) -> tuple[str, str]:
    """The form's action and its hidden state."""
    action, state = FORM_ACTION.search(page.text), STATE_FIELD.search(page.text)
    assert action and state, f"no login form at {page.url}: {page.status_code}"
    return html.unescape(action.group(1)), html.unescape(state.group(1))


def past_consent(client: httpx.Client, page: httpx.Response) -> httpx.Response:
    """Accept the tenant's consent screen when the login ended on it (a site on a loopback origin), follow on."""
    if not page.url.path.endswith("/u/consent"):
        return page
    action, state = form_of(page)
    return client.post(action, data={"state": state, "action": "accept"}, follow_redirects=True)


def log_in(client: httpx.Client, email: str, password: str, start: str = "/auth/login") -> httpx.Response:
    """Follow `start` to the tenant's login page, submit the credentials, follow the redirects back."""
    login_page = client.get(start, follow_redirects=True)
    action, state = form_of(login_page)
    return past_consent(client, client.post(action, data={"state": state, "username": email, "password": password},
                                            follow_redirects=True))


def sign_up(client: httpx.Client, email: str, password: str, start: str = "/auth/login") -> httpx.Response:
    """Follow `start` to the tenant's login page, switch to sign-up, create the account, follow the redirects back."""
    login_page = client.get(start, follow_redirects=True)
    link = SIGNUP_LINK.search(login_page.text)
    assert link, "no sign-up link on the tenant's login page"
    action, state = form_of(client.get(html.unescape(link.group(1))))
    return past_consent(client, client.post(action, data={"state": state, "email": email, "password": password},
                                            follow_redirects=True))
