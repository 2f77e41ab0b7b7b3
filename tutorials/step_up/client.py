"""A client that calls the sensitive endpoint and, told `insufficient_user_authentication`, steps up."""

import re
from urllib.parse import urlencode

import httpx

AUTH_PARAM = re.compile(r'(\w+)="([^"]*)"')


class StepUpNeeded(Exception):
    """The API wants a stronger login: log in again asking for these acr_values."""

    def __init__(self, acr_values: str, description: str) -> None:
        super().__init__(description)
        self.acr_values = acr_values


def challenge_of(response: httpx.Response) -> dict[str, str]:
    """The parameters of the response's `WWW-Authenticate: Bearer ...` challenge."""
    return dict(AUTH_PARAM.findall(response.headers.get("www-authenticate", "")))


def transfer(client: httpx.Client, api_url: str, access_token: str, amount: float) -> dict:
    """Call the sensitive endpoint; StepUpNeeded when the token's login was not strong enough."""
    response = client.post(f"{api_url}/api/transfer", params={"amount": amount},
                           headers={"Authorization": f"Bearer {access_token}"})
    challenge = challenge_of(response)
    if response.status_code == 401 and challenge.get("error") == "insufficient_user_authentication":
        raise StepUpNeeded(challenge["acr_values"], challenge.get("error_description", ""))
    response.raise_for_status()
    return response.json()


def step_up_url(tenant_url: str, client_id: str, redirect_uri: str, audience: str, acr_values: str, state: str,
                code_challenge: str) -> str:
    """The authorization request that logs the user in again, asking for the acr_values the API named."""
    return f"{tenant_url}/authorize?" + urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "scope": "openid profile",
        "audience": audience, "state": state, "code_challenge": code_challenge, "code_challenge_method": "S256",
        "acr_values": acr_values,
    })
