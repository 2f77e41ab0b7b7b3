"""Who reaches what through the Management API on a deployed (non-loopback) site, where every demo credential is
public: the demo M2M client reads the demo users only, and a visitor's application its own users only."""

from tests.tenant.conftest import USERS, code_params, sign_in
from tests.tenant.management import create_user, management_token, new_application, signed_up_visitor

READER = "rol_PlaygroundReader"
DEMO_EMAILS = {f"{name}@example.com" for name in USERS}


def emails(answer) -> set[str]:
    """The emails of a users list."""
    assert answer.status_code == 200, answer.text
    return {user["email"] for user in answer.json()}


def test_the_public_demo_credentials_cannot_read_or_change_another_visitors_account(tenant) -> None:
    visitor = signed_up_visitor(tenant, "visitor-a@example.net")
    public = management_token(tenant)
    assert emails(tenant.get("/api/v2/users", headers=public)) == DEMO_EMAILS
    assert tenant.get("/api/v2/users", headers=public, params={"q": 'email:"visitor-a@example.net"'}).json() == []
    assert tenant.get("/api/v2/users-by-email", headers=public,
                      params={"email": "visitor-a@example.net"}).json() == []
    for answer in (tenant.get(f"/api/v2/users/{visitor}", headers=public),
                   tenant.patch(f"/api/v2/users/{visitor}", headers=public, json={"app_metadata": {"x": 1}}),
                   tenant.delete(f"/api/v2/users/{visitor}", headers=public),
                   tenant.get(f"/api/v2/users/{visitor}/roles", headers=public),
                   tenant.post(f"/api/v2/users/{visitor}/roles", headers=public, json={"roles": [READER]})):
        assert answer.status_code == 404, answer.text
        assert answer.json()["message"] == "The user does not exist."


def test_the_public_demo_credentials_change_nothing_on_a_deployed_site(tenant) -> None:
    public = management_token(tenant)
    alice = tenant.get("/api/v2/users-by-email", headers=public, params={"email": "alice@example.com"}).json()[0]
    for answer in (tenant.delete(f"/api/v2/users/{alice['user_id']}", headers=public),
                   tenant.patch(f"/api/v2/users/{alice['user_id']}", headers=public,
                                json={"password": "Taken-over-1!", "email": "mine@example.net"}),
                   tenant.patch(f"/api/v2/users/{alice['user_id']}", headers=public, json={"app_metadata": {"x": 1}}),
                   create_user(tenant, public, "made-by-public@example.net"),
                   tenant.post("/api/v2/roles", headers=public, json={"name": "mine"}),
                   tenant.delete(f"/api/v2/roles/{READER}", headers=public)):
        assert answer.status_code == 403, answer.text
        assert answer.json()["errorCode"] == "operation_not_supported"
    assert tenant.post("/oauth/token", data={"grant_type": "password", "username": "alice@example.com",
                                             "password": "alice-demo-1", "client_id": "web-app",
                                             "client_secret": "web-app-secret"}).status_code == 200


def test_a_visitors_application_reaches_its_own_users_and_no_other_visitors(tenant) -> None:
    signed_up_visitor(tenant, "owner-a@example.net")
    app_a = management_token(tenant, new_application(tenant))
    made_by_a = create_user(tenant, app_a, "made-by-a@example.net")
    assert made_by_a.status_code == 201, made_by_a.text
    user_a = made_by_a.json()["user_id"]
    assert tenant.patch(f"/api/v2/users/{user_a}", headers=app_a,
                        json={"app_metadata": {"plan": "pro"}}).json()["app_metadata"] == {"plan": "pro"}
    assert tenant.post(f"/api/v2/users/{user_a}/roles", headers=app_a, json={"roles": [READER]}).status_code == 204
    role_a = tenant.post("/api/v2/roles", headers=app_a, json={"name": "editor"}).json()["id"]

    owner_b = signed_up_visitor(tenant, "owner-b@example.net")
    app_b = management_token(tenant, new_application(tenant))
    assert emails(tenant.get("/api/v2/users", headers=app_b)) == DEMO_EMAILS
    assert tenant.get(f"/api/v2/users/{user_a}", headers=app_b).status_code == 404
    assert tenant.get(f"/api/v2/users/{owner_b}", headers=app_b).status_code == 404, "not even its own owner"
    assert tenant.delete(f"/api/v2/users/{user_a}", headers=app_b).status_code == 404
    assert tenant.get(f"/api/v2/roles/{role_a}", headers=app_b).status_code == 404
    assert {role["name"] for role in tenant.get("/api/v2/roles", headers=app_b).json()} == {"admin", "reader"}
    assert tenant.post("/api/v2/roles", headers=app_b, json={"name": "editor"}).status_code == 200
    assert emails(tenant.get("/api/v2/users", headers=app_a)) == DEMO_EMAILS | {"made-by-a@example.net"}


def test_deleting_an_application_deletes_its_users_and_its_tokens_stop_working(tenant) -> None:
    signed_up_visitor(tenant, "owner-c@example.net")
    credentials = new_application(tenant)
    app = management_token(tenant, credentials)
    assert create_user(tenant, app, "made-by-c@example.net").status_code == 201
    page = tenant.get("/u/applications")
    token = page.text.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    deleted = tenant.post("/u/applications", data={"form_token": token, "action": "delete",
                                                   "client_id": credentials["client_id"]})
    assert deleted.status_code == 200 and credentials["client_id"] not in deleted.text
    assert tenant.get("/api/v2/users", headers=app).status_code == 401
    new_token = tenant.post("/oauth/token", data={"grant_type": "client_credentials", **credentials,
                                                  "audience": "http://testserver/api/v2/"})
    assert new_token.status_code == 401
    assert tenant.post("/oauth/token", data={"grant_type": "password", "username": "made-by-c@example.net",
                                             "password": "Made-by-app-1!", "client_id": "web-app",
                                             "client_secret": "web-app-secret"}).status_code == 403


def test_a_visitor_may_have_three_applications_and_an_application_twenty_users(tenant) -> None:
    signed_up_visitor(tenant, "owner-d@example.net")
    apps = [new_application(tenant, f"app {n}") for n in range(3)]
    page = tenant.get("/u/applications")
    assert "Create application" not in page.text
    app = management_token(tenant, apps[0])
    for n in range(20):
        assert create_user(tenant, app, f"bulk-{n}@example.net").status_code == 201
    refused = create_user(tenant, app, "bulk-20@example.net")
    assert refused.status_code == 403 and refused.json()["errorCode"] == "too_many_entities"


def test_demo_accounts_and_signed_out_browsers_cannot_own_applications(tenant) -> None:
    tenant.cookies.clear()
    signed_out = tenant.get("/u/applications")
    assert "Sign in first" in signed_out.text and "Create application" not in signed_out.text
    sign_in(tenant, code_params(), "alice@example.com", USERS["alice"])
    assert tenant.get("/u/applications").status_code == 403


def test_an_application_form_posted_from_another_site_is_refused(tenant) -> None:
    signed_up_visitor(tenant, "owner-e@example.net")
    page = tenant.get("/u/applications")
    token = page.text.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    assert tenant.post("/u/applications", data={"form_token": "forged", "action": "create"}).status_code == 403
    assert tenant.post("/u/applications", data={"form_token": token, "action": "create"},
                       headers={"Origin": "https://evil.example"}).status_code == 403
    assert "None yet." in tenant.get("/u/applications").text


def test_users_an_application_made_cannot_own_applications(tenant) -> None:
    signed_up_visitor(tenant, "owner-f@example.net")
    app = management_token(tenant, new_application(tenant))
    assert create_user(tenant, app, "made-by-f@example.net").status_code == 201
    tenant.cookies.clear()
    sign_in(tenant, code_params(), "made-by-f@example.net", "Made-by-app-1!")
    assert tenant.get("/u/applications").status_code == 403


def test_a_body_over_64_kb_is_refused_before_it_is_read(tenant) -> None:
    answer = tenant.patch("/api/v2/users/auth0|x", headers=management_token(tenant),
                          content=b'{"user_metadata": {"a": "' + b"x" * 70_000 + b'"}}')
    assert answer.status_code == 413 and answer.json()["statusCode"] == 413
