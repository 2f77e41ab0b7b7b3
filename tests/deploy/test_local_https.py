"""`python main.py --https`: the site and its tenant over https, trusted by a client given the local CA."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.https_site import https_site as run_https_site


@pytest.fixture
def https_site(tmp_path: Path) -> Iterator[tuple[str, Path, str]]:
    """`python main.py --https` on a free port; yields its origin, its CA file and the line it printed."""
    with run_https_site(tmp_path) as site:
        yield site.origin, site.authority, site.hint


def test_the_https_site_serves_a_tenant_with_a_path_less_https_issuer(https_site) -> None:
    origin, authority, hint = https_site
    document = httpx.get(f"{origin}/.well-known/openid-configuration", verify=str(authority)).json()
    assert document["issuer"] == f"{origin}/"
    assert document["token_endpoint"] == f"{origin}/oauth/token"
    assert f"SSL_CERT_FILE={authority}" in hint and f"REQUESTS_CA_BUNDLE={authority}" in hint


def test_a_client_without_the_local_ca_refuses_the_https_site(https_site) -> None:
    origin, _, _ = https_site
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(f"{origin}/healthz")
