"""Where a request's event came from: the end user's address, user agent and browser."""

from starlette.requests import Request

from tenant.grants.password import FORWARDED_BROWSER_HEADER
from tenant.http import end_user_address
from tenant.logs.journal import Origin
from tenant.store.sessions import BROWSER_COOKIE


def origin_of(request: Request) -> Origin:
    """The origin of a request to the tenant; the site's in-process calls name their visitor's browser."""
    # The forwarded header reaches the tenant from the site's own in-process calls only (EndUserHeaders).
    browser = request.headers.get(FORWARDED_BROWSER_HEADER) or request.cookies.get(BROWSER_COOKIE)
    return Origin(end_user_address(request), request.headers.get("user-agent", ""), browser or None)
