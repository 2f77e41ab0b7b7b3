"""One-time codes and tokens in callback URLs never reach uvicorn's access log."""

import logging
import time

import pytest

from main import create_app
from server.log_hygiene import ACCESS_LOGGER
from tenant.store.store import UserRecord
from tests.conftest import builtin_settings

# uvicorn's access-log call: logger.info(format, client, method, full path, http version, status).
ACCESS_FORMAT = '%s - "%s %s HTTP/%s" %d'


def access_record(path: str) -> logging.LogRecord:
    """A record shaped like the ones uvicorn logs for each request."""
    return logging.LogRecord(ACCESS_LOGGER, logging.INFO, __file__, 1, ACCESS_FORMAT,
                             ("203.0.113.7:51234", "GET", path, "1.1", 303), None)


@pytest.mark.parametrize(("path", "logged"), [
    ("/auth/callback?code=Sp1xCode&state=St4te", "/auth/callback?code=…&state=…"),
    ("/docs/oauth2-redirect?state=St4te&code=Sp1xCode", "/docs/oauth2-redirect?state=…&code=…"),
    ("/x?access_token=eyJa.b.c&id_token=eyJd.e.f&refresh_token=R3fresh&ticket=T1cket&page=2",
     "/x?access_token=…&id_token=…&refresh_token=…&ticket=…&page=2"),
    ("/auth/callback?error=access_denied&error_description=nope&state=St4te",
     "/auth/callback?error=access_denied&error_description=nope&state=…"),
    ("/oidc/logout?id_token_hint=eyJa.b.c&logout_hint=s1d&client_id=web-app",
     "/oidc/logout?id_token_hint=…&logout_hint=…&client_id=web-app"),
    ("/activate?user_code=ABCD-EFGH", "/activate?user_code=…"),
    ("/tutorials/read-your-token?barcode=kept", "/tutorials/read-your-token?barcode=kept"),
])
def test_secret_query_values_are_hidden(site, path, logged):
    record = access_record(path)
    assert logging.getLogger(ACCESS_LOGGER).filter(record)
    assert record.getMessage() == f'203.0.113.7:51234 - "GET {logged} HTTP/1.1" 303'


def test_the_filter_is_installed_once(site, tmp_path):
    before = len(logging.getLogger(ACCESS_LOGGER).filters)
    create_app(builtin_settings(tmp_path))
    assert len(logging.getLogger(ACCESS_LOGGER).filters) == before



ESCAPE_EMAIL = "evil\x1b[2J\x1b[31m@example.com"
CONNECTION = {"client_id": "web-app", "connection": "Username-Password-Authentication"}


def test_an_email_with_terminal_escape_codes_reaches_the_log_escaped(site, caplog):
    signed_up = site.post("/dbconnections/signup",
                          json={**CONNECTION, "email": ESCAPE_EMAIL, "password": "Str0ng-enough-pass"})
    assert signed_up.status_code == 400, signed_up.text  # control characters make no email address
    # An account that has one anyway (stored before such sign-ups were refused) still logs safely.
    now = time.time()
    site.app.state.builtin_tenant.tenant.store.add_user(UserRecord(
        id="0123456789abcdef01234567", email=ESCAPE_EMAIL.lower(), password_hash="unused", name="Evil",
        nickname="evil", permissions=(), email_verified=False, created_at=now, updated_at=now))
    with caplog.at_level("INFO"):
        answer = site.post("/dbconnections/change_password", json={**CONNECTION, "email": ESCAPE_EMAIL})
        assert answer.status_code == 200
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Password reset link for evil\\x1b[2j\\x1b[31m@example.com" in logged  # stored in lower case
    assert "\x1b" not in logged


@pytest.mark.parametrize("value", ["forged\r\nINFO: a second line", "bell\x07", "sep\u2028", "half\ud800"])
def test_every_log_argument_is_escaped(site, caplog, value):
    with caplog.at_level("WARNING"):
        logging.getLogger("middleware.canonical_origin").warning("Visitors reach this site as %s", value)
    [record] = caplog.records
    assert record.getMessage().isprintable()
    assert record.getMessage().startswith("Visitors reach this site as ")
