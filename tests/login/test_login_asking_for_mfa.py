"""`/auth/login?acr_values=` passes Auth0's multi-factor policy on to the tenant, and nothing else."""

from urllib.parse import parse_qs, urlsplit

from tokens.step_up import MFA_POLICY


def test_the_multi_factor_policy_reaches_the_authorization_request(auth0_site, provider):
    response = auth0_site.get("/auth/login", params={"returnTo": "/profile", "acr_values": MFA_POLICY})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["location"]).query)["acr_values"] == [MFA_POLICY]


def test_other_acr_values_are_refused_with_400(auth0_site):
    response = auth0_site.get("/auth/login", params={"acr_values": "urn:something:else"})
    assert response.status_code == 400
    assert "acr_values" in response.text


def test_a_login_without_acr_values_asks_for_none(auth0_site, provider):
    location = auth0_site.get("/auth/login").headers["location"]
    assert "acr_values" not in parse_qs(urlsplit(location).query)
