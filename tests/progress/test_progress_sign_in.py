"""Sign-ups and sign-ins however they happen tick the strip; a logout counts only when someone was signed in, and
leads back to the page the visitor left."""

import uuid

from fastapi.testclient import TestClient

from tests.progress.test_progress import API, FROM_PAGE, app, call_api, done, query_of, visitor  # noqa: F401

SWAGGER_AUTHORIZE = "/authorize?" + "&".join(f"{name}={value}" for name, value in {
    "response_type": "token", "client_id": "swagger-ui", "audience": API, "scope": "read:messages",
    "redirect_uri": "http://testserver/docs/oauth2-redirect", "state": "s1", "nonce": "n1"}.items())


def tenant_form_state(visitor: TestClient, authorize_url: str) -> str:
    """Open the tenant's login page from an authorize URL; return the form's state."""
    return query_of(visitor.get(authorize_url).headers["location"])["state"]


def post_tenant_form(visitor: TestClient, form: str, state: str, email: str, password: str) -> str:
    """Submit the tenant's login or sign-up form as a browser does; return where the tenant sends the browser."""
    field = "username" if form == "login" else "email"
    answer = visitor.post(f"/u/{form}", data={"state": state, field: email, "password": password},
                          headers=FROM_PAGE)
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


def test_a_sign_up_on_the_tenants_own_form_ticks_signed_up_and_signed_in(visitor: TestClient) -> None:
    state = tenant_form_state(visitor, visitor.get("/auth/login").headers["location"])
    callback = post_tenant_form(visitor, "signup", state, f"learner-{uuid.uuid4().hex[:8]}@example.com",
                                "Learner-pass-2026!")
    assert {"signed-up", "signed-in"} <= done(visitor)
    assert visitor.get(callback).status_code == 303
    assert {"signed-up", "signed-in"} <= done(visitor)


def test_a_refused_sign_up_ticks_nothing(visitor: TestClient) -> None:
    state = tenant_form_state(visitor, visitor.get("/auth/login").headers["location"])
    answer = visitor.post("/u/signup", headers=FROM_PAGE,
                          data={"state": state, "email": "alice@example.com", "password": "Learner-pass-2026!"})
    assert answer.status_code == 400
    assert done(visitor) == set()


def test_a_swagger_sign_in_counts_as_signed_in_through_the_tenant(visitor: TestClient) -> None:
    back = post_tenant_form(visitor, "login", tenant_form_state(visitor, SWAGGER_AUTHORIZE),
                            "alice@example.com", "alice-demo-1")
    assert done(visitor) == {"signed-in"}
    token = query_of(back, "fragment")["access_token"]
    other = TestClient(visitor.app, follow_redirects=False)
    assert call_api(other, "/api/secure", token) == 200
    assert {"signed-in", "swagger", "secure"} <= done(other)


def test_logging_out_without_being_signed_in_ticks_nothing(visitor: TestClient) -> None:
    assert visitor.get("/auth/logout", headers=FROM_PAGE).status_code == 303
    assert "logged-out" not in done(visitor)


def sign_in_on_the_site(visitor: TestClient) -> None:
    """The web login, from the site's Log in link to its callback."""
    state = tenant_form_state(visitor, visitor.get("/auth/login").headers["location"])
    assert visitor.get(post_tenant_form(visitor, "login", state, "bob@example.com", "bob-demo-1")).status_code == 303


def leave_through_the_tenant(visitor: TestClient, logout: str, **headers: str) -> str:
    """Log out at `logout`, follow the tenant's logout; return where the home page sends the visitor."""
    to_tenant = visitor.get(logout, headers=headers)
    assert to_tenant.status_code == 303
    home = visitor.get(to_tenant.headers["location"]).headers["location"]
    assert home == "http://testserver"
    answer = visitor.get("/")
    return answer.headers.get("location", "") if answer.status_code == 303 else ""


def test_logging_out_lands_back_on_the_step_the_visitor_left(visitor: TestClient) -> None:
    sign_in_on_the_site(visitor)
    step = "/tutorials/log-out-everywhere"
    assert leave_through_the_tenant(visitor, f"/auth/logout?returnTo={step}") == step
    assert "logged-out" in done(visitor)
    assert visitor.get("/").status_code == 200  # only once


def test_the_page_left_is_read_from_the_referer_when_the_link_names_none(visitor: TestClient) -> None:
    sign_in_on_the_site(visitor)
    assert leave_through_the_tenant(visitor, "/auth/logout",
                                    referer="http://testserver/tutorials/swagger-sign-in") == "/tutorials/swagger-sign-in"
    sign_in_on_the_site(visitor)
    assert leave_through_the_tenant(visitor, "/auth/logout", referer="https://evil.example/tutorials/x") == ""
    sign_in_on_the_site(visitor)
    assert leave_through_the_tenant(visitor, "/auth/logout?returnTo=/profile") == ""


def test_a_foreign_return_path_is_refused(visitor: TestClient) -> None:
    for foreign in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        assert visitor.get("/auth/logout", params={"returnTo": foreign}).status_code == 400


def test_the_log_out_link_names_the_page_it_is_on(visitor: TestClient) -> None:
    sign_in_on_the_site(visitor)
    page = visitor.get("/tutorials/log-out-everywhere").text
    assert 'href="/auth/logout?returnTo=/tutorials/log-out-everywhere"' in page
