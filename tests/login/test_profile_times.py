"""/profile shows the tokens' times readable, beside the raw Unix times."""

import re

from fastapi.testclient import TestClient

from tests.login.tenant_form import log_in
from tokens.report import readable_times

READABLE = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \((in [^)]+|[^)]+ ago)\)"


def test_profile_shows_iat_and_exp_of_both_tokens_readable(site: TestClient) -> None:
    page = log_in(TestClient(site.app), "alice@example.com", "alice-demo-1").text
    id_section = page[page.index('id="id-token-heading"'):page.index('id="access-token-heading"')]
    access_section = page[page.index('id="access-token-heading"'):]
    for section in (id_section, access_section):
        for name in ("iat", "exp"):
            assert re.search(rf"<td><code>{name}</code></td><td>{READABLE}</td>", section), name


def test_auth_time_is_made_readable_when_a_token_has_it() -> None:
    times = readable_times({"sub": "auth0|x", "auth_time": 1_700_000_000, "exp": 1_700_003_600}, now=1_700_001_800)
    assert times == {"exp": "2023-11-14 23:13:20 UTC (in 30 min 0 s)",
                     "auth_time": "2023-11-14 22:13:20 UTC (30 min 0 s ago)"}
