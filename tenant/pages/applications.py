"""/u/applications: a signed-up visitor's own machine-to-machine applications for the Management API.

The secret is shown once, when the application is made (only its digest is kept). An application reaches the demo
users and what it created itself (tenant/management/reach.py); deleting it deletes what it created.
"""

from starlette.requests import Request
from starlette.responses import Response

from tenant.management.apps import MAX_APP_NAME, MAX_APPS_PER_VISITOR, TooManyApps
from tenant.management.reach import MAX_ROLES_PER_APP, MAX_USERS_PER_APP
from tenant.management.withdrawal import delete_app
from tenant.pages.activation import from_another_site
from tenant.pages.rendering import error_page, page, read_form
from tenant.services import tenant_of
from tenant.store.sessions import current_session, session_cookie
from tenant.store.store import digest
from tenant.store.users import DEMO_USER_IDS, User

SIGN_IN_FIRST = "Log in on the site with an account of your own (sign up if you have none), then open this page again."
DEMO_ACCOUNT = ("The demo accounts are shared by everyone on this site, so they cannot own applications: sign up "
                "with an account of your own, then open this page again.")
MADE_BY_AN_APPLICATION = ("This account was made by an application through the Management API, so it cannot own "
                          "applications: sign up with an account of your own.")
TOO_MANY_APPS = f"You already have {MAX_APPS_PER_VISITOR} applications: delete one to make another."
STALE_FORM = "This form has expired: open the applications page again."
DEFAULT_NAME = "My Management API client"


def form_token(request: Request) -> str:
    """The token the page's forms carry: bound to this browser's session, which another site cannot read (CSRF)."""
    return digest(f"applications {session_cookie(request)}")


def signed_up_visitor(request: Request) -> User | Response:
    """The signed-in visitor with an account of their own, or the page explaining why not."""
    tenant = tenant_of(request)
    session = current_session(tenant, request)
    user = tenant.users.by_id(session["user_id"]) if session else None
    if user is None:  # a page to read, linked from the tutorial: not an error
        return page(request, "message.html", title="Sign in first", message=SIGN_IN_FIRST)
    if user.record.id in DEMO_USER_IDS:
        return error_page(request, "Not with a demo account", DEMO_ACCOUNT, 403)
    if user.account.created_by is not None:  # else applications would make users who make applications, unbounded
        return error_page(request, "Not with this account", MADE_BY_AN_APPLICATION, 403)
    return user


def applications_page(request: Request, user: User, status_code: int = 200, **context: object) -> Response:
    """The visitor's applications, a form to make one, and what the Management API lets them do."""
    tenant = tenant_of(request)
    return page(request, "applications.html", status_code, user=user, apps=tenant.apps.of_owner(user.record.id),
                form_token=form_token(request), audience=tenant.directory.management_api.identifier,
                max_apps=MAX_APPS_PER_VISITOR, max_users=MAX_USERS_PER_APP, max_roles=MAX_ROLES_PER_APP,
                max_name=MAX_APP_NAME, **context)


async def applications(request: Request) -> Response:
    """GET /u/applications."""
    user = signed_up_visitor(request)
    return user if isinstance(user, Response) else applications_page(request, user)


async def applications_submit(request: Request) -> Response:
    """POST /u/applications: make an application (its secret shown this once), or delete one with what it made."""
    user = signed_up_visitor(request)
    if isinstance(user, Response):
        return user
    form = await read_form(request)
    if form is None or from_another_site(request) or form.get("form_token") != form_token(request):
        return error_page(request, "This form has expired", STALE_FORM, 403)
    tenant = tenant_of(request)
    if form.get("action") == "delete":
        owned = {app.client_id for app in tenant.apps.of_owner(user.record.id)}
        if form.get("client_id") in owned:
            delete_app(tenant, form["client_id"])
        return applications_page(request, user)
    try:
        app, secret = tenant.apps.create(user.record.id, form.get("name", "").strip() or DEFAULT_NAME)
    except TooManyApps:
        return applications_page(request, user, 409, error=TOO_MANY_APPS)
    return applications_page(request, user, 201, created=app, secret=secret)
