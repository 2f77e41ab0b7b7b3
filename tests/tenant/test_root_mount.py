"""The tenant at the root of the site's origin, as an Auth0 domain: its paths, its issuer, and no collision."""

from starlette.routing import Match

from tests.tenant.conftest import SITE

AUTH0_PATHS = ["/.well-known/openid-configuration", "/.well-known/jwks.json", "/authorize", "/oauth/token",
               "/oauth/revoke", "/oauth/device/code", "/userinfo", "/v2/logout", "/oidc/logout",
               "/dbconnections/signup", "/dbconnections/change_password", "/u/login", "/u/consent", "/activate"]


def test_discovery_names_a_path_less_issuer_and_auth0s_paths_at_the_root(tenant) -> None:
    document = tenant.get("/.well-known/openid-configuration").json()
    assert document["issuer"] == f"{SITE}/"
    assert document["token_endpoint"] == f"{SITE}/oauth/token"
    assert document["authorization_endpoint"] == f"{SITE}/authorize"
    assert document["jwks_uri"] == f"{SITE}/.well-known/jwks.json"


SITE_PAGES = ["/", "/docs", "/docs/oauth2-redirect", "/tutorials", "/profile", "/decoder", "/inspector", "/room",
              "/progress", "/healthz", "/auth/login", "/auth/callback", "/auth/logout", "/static/site.css"]


def site_routes_matching(app, path: str) -> list:
    """The site's own routes (the tenant's aside) that take this path, for GET or POST."""
    return [route for route in app.router.routes if route is not app.state.tenant_paths
            for method in ("GET", "POST")
            if route.matches({"type": "http", "path": path, "root_path": "", "method": method})[0] is not Match.NONE]


def test_every_auth0_path_is_the_tenants_and_no_site_route_shares_one(tenant) -> None:
    app = tenant.app
    tenant_paths = app.state.tenant_paths
    assert all(tenant_paths.serves(path) for path in AUTH0_PATHS)
    assert {path: site_routes_matching(app, path) for path in AUTH0_PATHS} == {path: [] for path in AUTH0_PATHS}
    site_paths = [*app.openapi()["paths"], *SITE_PAGES]
    assert all(site_routes_matching(app, path) for path in SITE_PAGES)
    assert [path for path in site_paths if tenant_paths.serves(path)] == []


def test_the_tenant_answers_a_method_it_does_not_take_and_the_site_keeps_its_404(tenant) -> None:
    assert tenant.get("/oauth/token").status_code == 405
    missing = tenant.get("/no-such-page", headers={"accept": "text/html"})
    assert missing.status_code == 404
    assert "Page not found" in missing.text
