"""Why did logins fail? Ask the tenant's logs through the Management API, and say each failure in plain words."""

import os

import httpx

# Auth0's log event codes of a login that did not work, and what each means.
FAILURES = {
    "fp": "wrong password",
    "fu": "no user with this email",
    "f": "refused after the password was right (an Action, a declined consent)",
    "limit_wc": "account locked after too many wrong passwords",
    "limit_mu": "address blocked after too many failures",
    "fepft": "password grant refused (client, audience or parameters)",
    "feacft": "authorization code exchange refused",
}


def management_token(client: httpx.Client, tenant_url: str, client_id: str, client_secret: str) -> str:
    """A Management API token (scope read:logs) for a machine-to-machine application."""
    response = client.post(f"{tenant_url}/oauth/token", json={
        "grant_type": "client_credentials",
        "client_id": client_id,
        "client_secret": client_secret,
        "audience": f"{tenant_url}/api/v2/",
    })
    response.raise_for_status()
    return response.json()["access_token"]


def failed_logins(client: httpx.Client, tenant_url: str, token: str, email: str, count: int = 10) -> list[dict]:
    """The newest failed logins naming `email`, from the tenant's logs."""
    codes = " OR ".join(FAILURES)
    response = client.get(f"{tenant_url}/api/v2/logs", headers={"Authorization": f"Bearer {token}"}, params={
        "q": f'user_name:"{email}" AND type:({codes})',
        "sort": "date:-1",
        "per_page": count,
    })
    response.raise_for_status()
    return response.json()


def explain(event: dict) -> str:
    """One failure as a line: when, what, from where, and the tenant's own words."""
    meaning = FAILURES.get(event["type"], event["type"])
    return f"{event['date']}  {meaning} ({event['type']}) from {event.get('ip', '?')}: {event.get('description', '')}"


if __name__ == "__main__":
    tenant = os.environ.get("TENANT_URL") or f"https://{os.environ['AUTH0_DOMAIN']}"
    with httpx.Client(timeout=10) as http:
        token = management_token(http, tenant, os.environ["M2M_CLIENT_ID"], os.environ["M2M_CLIENT_SECRET"])
        for failure in failed_logins(http, tenant, token, os.environ["EMAIL"]):
            print(explain(failure))
