"""A service calling the API as itself: client credentials in, access token out, then the API call."""

import os

import httpx


def get_machine_token(client: httpx.Client, tenant_url: str, client_id: str, client_secret: str, audience: str) -> str:
    """An access token for the service itself, from the tenant's token endpoint."""
    response = client.post(f"{tenant_url}/oauth/token", json={
        "grant_type": "client_credentials",
        "client_id": client_id,
        "client_secret": client_secret,
        "audience": audience,
    })
    response.raise_for_status()
    return response.json()["access_token"]


def read_messages(client: httpx.Client, api_url: str, token: str) -> dict:
    """Call the API's scoped endpoint with the service's token."""
    response = client.get(f"{api_url}/api/scoped", headers={"Authorization": f"Bearer {token}"})
    response.raise_for_status()
    return response.json()


def main() -> None:
    """Get a token as the service, then call the API with it."""
    with httpx.Client(timeout=10) as http:
        token = get_machine_token(
            http,
            tenant_url=os.environ.get("TENANT_URL") or f"https://{os.environ['AUTH0_DOMAIN']}",
            client_id=os.environ["M2M_CLIENT_ID"],
            client_secret=os.environ["M2M_CLIENT_SECRET"],
            audience=os.environ["AUTH0_API_AUDIENCE"],
        )
        print(read_messages(http, os.environ["API_URL"], token))


if __name__ == "__main__":
    try:
        main()
    except KeyError as missing:
        raise SystemExit(f"Missing setting {missing.args[0]}: set it as the command on step 10 shows "
                         "(TENANT_URL, or AUTH0_DOMAIN for Auth0).") from None
    except httpx.TransportError as error:  # nothing listens there, or the name does not resolve
        raise SystemExit(f"No answer from {error.request.url.copy_with(path='/', query=None)}: start the tenant "
                         "(the playground), or set TENANT_URL and API_URL to its URL.") from None
    except httpx.HTTPStatusError as error:  # refused credentials, or something that is not a tenant
        raise SystemExit(f"{error.request.url} answered {error.response.status_code}: "
                         f"{' '.join(error.response.text.split())[:200]}") from None
