"""A command-line tool that logs its user in with the device flow, then calls the API with their token."""

import os
import time
from collections.abc import Callable

import httpx

DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
SLOW_DOWN_STEP = 5  # seconds added to the interval each time the tenant answers slow_down (RFC 8628)


class LoginFailed(Exception):
    """The user denied the device, the code expired, or the tenant refused the request."""


def start_device_login(client: httpx.Client, tenant_url: str, client_id: str, audience: str, scope: str) -> dict:
    """Ask the tenant for a device code and the user code to show."""
    response = client.post(f"{tenant_url}/oauth/device/code",
                           data={"client_id": client_id, "audience": audience, "scope": scope})
    response.raise_for_status()
    return response.json()


def wait_for_tokens(client: httpx.Client, tenant_url: str, client_id: str, device: dict,
                    sleep: Callable[[float], None] = time.sleep) -> dict:
    """Poll the token endpoint at the interval the tenant asked for, until the user has decided."""
    interval = device.get("interval", 5)
    deadline = time.monotonic() + device["expires_in"]
    while time.monotonic() < deadline:
        sleep(interval)
        response = client.post(f"{tenant_url}/oauth/token", data={
            "grant_type": DEVICE_CODE_GRANT, "device_code": device["device_code"], "client_id": client_id})
        if response.status_code == 200:
            return response.json()
        error = response.json()
        if error.get("error") == "slow_down":
            interval += SLOW_DOWN_STEP
        elif error.get("error") != "authorization_pending":
            raise LoginFailed(f"{error.get('error')}: {error.get('error_description')}")
    raise LoginFailed("expired_token: the code expired before anyone confirmed it")


def call_api(client: httpx.Client, api_url: str, access_token: str) -> dict:
    """Call the API's endpoint for any valid token."""
    response = client.get(f"{api_url}/api/secure", headers={"Authorization": f"Bearer {access_token}"})
    response.raise_for_status()
    return response.json()


def main() -> None:
    """Log in, then call the API."""
    tenant_url = os.environ.get("TENANT_URL", "http://localhost:8000")  # Auth0: https://my-team.eu.auth0.com
    client_id = os.environ.get("CLI_CLIENT_ID", "cli")
    with httpx.Client(timeout=10) as client:
        device = start_device_login(client, tenant_url, client_id,
                                    audience=os.environ.get("AUTH0_API_AUDIENCE", "https://playground/api"),
                                    scope="openid profile email read:messages")
        print(f"To log in, open {device['verification_uri']} and enter the code {device['user_code']}")
        print(f"or open {device['verification_uri_complete']}", flush=True)
        tokens = wait_for_tokens(client, tenant_url, client_id, device)
        print("Logged in.", flush=True)
        print(call_api(client, os.environ.get("API_URL", "http://localhost:8000"), tokens["access_token"]))


if __name__ == "__main__":
    try:
        main()
    except LoginFailed as failure:
        raise SystemExit(f"Login failed: {failure}") from None
    except httpx.TransportError as error:  # nothing listens there, or the name does not resolve
        raise SystemExit(f"No answer from {error.request.url.copy_with(path='/', query=None)}: start the tenant "
                         "(the playground), or set TENANT_URL and API_URL to its URL.") from None
    except httpx.HTTPStatusError as error:  # something answers there, but not as a tenant does
        raise SystemExit(f"{error.request.url} answered {error.response.status_code}: is TENANT_URL (or API_URL) "
                         "the right URL?") from None
