"""Every page and the README say the same about what the built-in tenant holds: what tenant/directory.py holds."""

import html
import json
import re

from fastapi.testclient import TestClient

from tenant.contents import readme_summary, tenant_contents
from tests.local_server import ROOT

CONTENTS = tenant_contents()


def text_of(site: TestClient, path: str) -> str:
    """The page's text: inline tags removed, block tags a space, entities decoded, whitespace collapsed."""
    page = site.get(path)
    assert page.status_code == 200
    inline = re.sub(r"</?(?:span|code|a|strong|em|wbr)\b[^>]*>", "", page.text)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def test_the_readme_prints_the_directorys_contents() -> None:
    assert readme_summary(CONTENTS) in (ROOT / "README.md").read_text(encoding="utf-8")


def test_step_two_lists_every_application_permission_and_user(site: TestClient) -> None:
    text = text_of(site, "/tutorials/set-up-a-tenant")
    for permission in CONTENTS.permissions:
        assert permission in text
    for application in CONTENTS.applications:
        assert f"the application {application.client_id}, {application.name}" in text
    for user in CONTENTS.users:
        assert f"{user.email} {user.password} {', '.join(user.permissions) or 'none'}" in text


def test_the_home_page_shows_each_users_permissions(site: TestClient) -> None:
    text = text_of(site, "/")
    for user in CONTENTS.users:
        assert f"{user.email} {user.password} {', '.join(user.permissions) or 'none'}" in text
    assert "read:room" in CONTENTS.user("admin").permissions


def test_step_one_counts_the_applications_and_users(site: TestClient) -> None:
    text = text_of(site, "/tutorials/what-auth0-does")
    assert f"one API, {len(CONTENTS.applications)} applications and {len(CONTENTS.users)} demo users" in text


def test_step_nine_tabulates_each_users_grants(site: TestClient) -> None:
    text = text_of(site, "/tutorials/permissions-vs-scopes")
    admin = CONTENTS.user("admin")
    assert f"admin {', '.join(admin.permissions)} {json.dumps(list(admin.permissions))} 200 200" in text


def test_the_api_docs_name_each_users_permissions(site: TestClient) -> None:
    description = site.get("/openapi.json").json()["info"]["description"]
    for user in CONTENTS.users:
        assert f"`{user.email}` ({', '.join(user.permissions) or 'no permissions'})" in description


def test_step_ten_gives_a_command_with_the_m2m_credentials(site: TestClient) -> None:
    text = text_of(site, "/tutorials/machine-to-machine")
    m2m = CONTENTS.application("m2m")
    assert (f"TENANT_URL=http://testserver M2M_CLIENT_ID={m2m.client_id} M2M_CLIENT_SECRET={m2m.secret} \\ "
            f"AUTH0_API_AUDIENCE={CONTENTS.audience} API_URL=http://testserver python "
            "tutorials/machine_to_machine/client.py") in text


def test_step_three_explains_why_alices_consent_lists_scopes_she_lacks(site: TestClient) -> None:
    text = text_of(site, "/tutorials/web-login-starlette")
    assert "The screen lists what the application asks for, not what the user holds" in text
    assert f"({', '.join(CONTENTS.permissions)})" in text
    assert "Alice is shown admin:messages and read:room although she holds neither" in text
