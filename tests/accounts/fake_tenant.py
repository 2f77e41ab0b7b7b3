"""A fake Auth0 Authentication API, and settings naming an Auth0 tenant it stands in for."""

from collections.abc import Callable
from pathlib import Path

import httpx

from settings import Settings

TENANT_DOMAIN = "playground-test.eu.auth0.com"
CLIENT_ID = "client-123"
CLIENT_SECRET = "client-secret-456"
AUDIENCE = "https://api.playground.test"

Handler = Callable[[httpx.Request], httpx.Response]


class FakeTenant:
    """Records every request and answers with whatever `handler` says."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.handler: Handler = lambda request: httpx.Response(500)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)

    def answer(self, status_code: int, body: object = None, **kwargs: object) -> None:
        """Answer every request with this status and JSON body."""
        self.handler = lambda request: httpx.Response(status_code, json=body, **kwargs)

    def fail(self, error: type[httpx.TransportError]) -> None:
        """Fail every request as an unreachable tenant would."""
        def handler(request: httpx.Request) -> httpx.Response:
            raise error("tenant down", request=request)
        self.handler = handler


def real_tenant_settings(data_dir: Path) -> Settings:
    """Settings naming an Auth0 tenant (never contacted: the fake answers)."""
    return Settings(
        _env_file=None, data_dir=data_dir, public_url="http://testserver", auth0_domain=TENANT_DOMAIN,
        auth0_client_id=CLIENT_ID, auth0_client_secret=CLIENT_SECRET, auth0_api_audience=AUDIENCE,
        session_secret="test-session-secret-0123456789",
    )
