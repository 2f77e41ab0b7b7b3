"""Every page of the site, as the accessibility tests open it: add a page here and it is checked at every width."""

from dataclasses import dataclass

from tests.local_server import ROOT
from tutorial_engine.model import step_slugs


@dataclass(frozen=True)
class SitePage:
    """A page to open: its address, who is signed in first, and the address it must end on after redirects."""

    path: str
    user: str | None = None  # a demo user signed in (consent accepted) before the page is opened
    lands_on: str | None = None  # a part of the final URL, for addresses that redirect (the tenant's pages)
    ready: str = "main, body"  # a selector that is visible once the page has drawn itself
    stop_at_consent: bool = False  # sign `user` in but stay on the consent screen
    name: str | None = None  # how the tests name it, where the path is too long to read

    def test_id(self) -> str:
        """The page's name in test ids: its name or path, and who is signed in."""
        return f"{self.name or self.path}{'@' + self.user if self.user else ''}"


ADMIN = "admin"
SITE = "{site}"  # replaced by the site's URL, quoted, where a path must name it (a redirect_uri)
MFA_POLICY = "http%3A%2F%2Fschemas.openid.net%2Fpape%2Fpolicies%2F2007%2F06%2Fmulti-factor"
STEP_UP = (f"/authorize?client_id=swagger-ui&response_type=code&scope=openid&state=s&acr_values={MFA_POLICY}"
           f"&redirect_uri={SITE}%2Fdocs%2Foauth2-redirect&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
           "&code_challenge_method=S256")
STEPS = tuple(SitePage(f"/tutorials/{slug}") for slug in sorted(step_slugs(ROOT)))

PAGES = (
    SitePage("/"),
    SitePage("/tutorials"),
    *STEPS,
    SitePage("/docs", ready=".swagger-ui .opblock"),
    SitePage("/decoder"),
    SitePage("/inspector"),
    SitePage("/inspector", user=ADMIN),  # with the login just made, step by step
    SitePage("/troubleshooting"),
    SitePage("/stepper"),
    SitePage("/authenticator"),
    SitePage("/logs"),
    SitePage("/logs", user=ADMIN),  # with the login just made
    SitePage("/actions"),
    SitePage("/actions", user=ADMIN),
    SitePage("/progress"),
    SitePage("/room", user=ADMIN),
    SitePage("/profile", user=ADMIN),
    SitePage("/room"),  # the page that asks to log in
    SitePage("/auth/login", lands_on="/u/login"),
    SitePage("/auth/login", user="bob", lands_on="/u/consent", stop_at_consent=True),
    SitePage("/u/applications", user=ADMIN),
    SitePage("/u/applications", user="alice"),
    SitePage(STEP_UP, user="alice", lands_on="/u/mfa-otp-enrollment",
             name="/u/mfa-otp-enrollment"),  # MFA asked: the QR code and its secret
    SitePage("/activate"),
    SitePage("/activate", user=ADMIN),
    SitePage("/no-such-page"),
    SitePage("/tutorials/no-such-step"),
    SitePage("/auth/callback?code=x&state=not-started-here"),
    SitePage("/authorize?client_id=web-app&response_type=code&redirect_uri=https%3A%2F%2Felsewhere.example%2Fcb"),
    SitePage("/v2/logout?returnTo=https%3A%2F%2Felsewhere.example%2F"),
)
