"""Helpers for the Management API's tests: tokens, visitors and their applications."""

import re

from fastapi.testclient import TestClient

from tests.tenant.conftest import M2M, code_params, form_token_on, sign_in

CONNECTION = "Username-Password-Authentication"


def management_token(client: TestClient, credentials: dict = M2M, scope: str | None = None) -> dict[str, str]:
    """The Authorization header of a Management API token for these client credentials."""
    data = {"grant_type": "client_credentials", "audience": f"{client.base_url}/api/v2/", **credentials}
    if scope is not None:
        data["scope"] = scope
    answer = client.post("/oauth/token", data=data)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def signed_up_visitor(client: TestClient, email: str, password: str = "Visitor-pass-1!") -> str:
    """A visitor who signed up and is signed in (in `client`'s cookies): their user id."""
    client.cookies.clear()
    answer = client.post("/dbconnections/signup", json={"client_id": "web-app", "email": email, "password": password,
                                                         "connection": CONNECTION})
    assert answer.status_code == 200, answer.text
    sign_in(client, code_params(), email, password)
    return f"auth0|{answer.json()['_id']}"


def new_application(client: TestClient, name: str = "My backend") -> dict[str, str]:
    """The signed-in visitor makes an application on /u/applications: its client id and secret, read off the page."""
    page = client.get("/u/applications")
    assert page.status_code == 200, page.text
    made = client.post("/u/applications", data={"form_token": form_token_on(page.text), "name": name,
                                                 "action": "create"})
    assert made.status_code == 201, made.text
    client_id = re.search(r"<dt>Client ID</dt><dd><code>([^<]+)</code>", made.text).group(1)
    secret = re.search(r'<code class="secret">([^<]+)</code>', made.text).group(1)
    return {"client_id": client_id, "client_secret": secret}


def create_user(client: TestClient, headers: dict, email: str) -> object:
    """POST /api/v2/users for a database user."""
    return client.post("/api/v2/users", headers=headers, json={"connection": CONNECTION, "email": email,
                                                              "password": "Made-by-app-1!"})
