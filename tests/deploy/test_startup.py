"""With a real tenant configured, start-up refuses a missing SESSION_SECRET with one clear line."""

import pytest

from tests.conftest import free_port
from tests.deploy.platform import run_web_command, start_up_error_lines

AUTH0 = {"AUTH0_DOMAIN": "my-tenant.eu.auth0.com", "AUTH0_CLIENT_ID": "client", "AUTH0_CLIENT_SECRET": "secret"}


@pytest.mark.parametrize("session_secret", [None, "", "   "])
def test_real_tenant_without_session_secret_stops_with_one_line(tmp_path, session_secret):
    variables = AUTH0 if session_secret is None else AUTH0 | {"SESSION_SECRET": session_secret}
    lines = start_up_error_lines(run_web_command(tmp_path, free_port(), **variables))
    assert len(lines) == 1, lines
    assert "SESSION_SECRET" in lines[0] and "AUTH0_DOMAIN" in lines[0]
