"""The tutorial as this site serves it: variables from the settings, panels from the site's templates."""

import logging
import threading
from pathlib import Path

from markupsafe import Markup

from settings import Settings
from templating.environment import templates
from tutorial_engine.model import Panel, Step, Tutorial, TutorialError, step_slugs

logger = logging.getLogger("playground.tutorial")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = PROJECT_ROOT / "static"
PANEL_TEMPLATE = "macros/try_it.html"
BUILD_FAILED = "Tutorial build failed: "


def step_variables(settings: Settings) -> dict[str, object]:
    """What a step may write as `{{ name }}`: this deployment's origin, tenant and clients."""
    from tenant.contents import tenant_contents  # the tenant package is loaded only where it is used

    return {
        "site": settings.site_origin,
        "issuer": settings.issuer,
        "tenant_base_url": settings.tenant_base_url,
        "tenant_domain": settings.tenant_domain,
        "builtin": settings.uses_builtin_tenant,
        "audience": settings.auth0_api_audience,
        "web_client_id": settings.web_client_id,
        "swagger_client_id": settings.swagger_client_id,
        "tenant": tenant_contents(settings.auth0_api_audience) if settings.uses_builtin_tenant else None,
    }


def render_panel(panel: Panel) -> str:
    """A Try-it panel through the site's `try_panel` macro."""
    macro = templates.env.get_template(PANEL_TEMPLATE).module.try_panel
    return str(Markup(macro(panel)))


def load_site_tutorial(settings: Settings, project_root: Path = PROJECT_ROOT) -> Tutorial:
    """Render every step for this deployment; TutorialError names the broken step."""
    from tutorial_engine.loader import load_tutorial  # Markdown and Pygments: imported when first needed

    return load_tutorial(project_root, step_variables(settings), render_panel)


class SiteTutorial:
    """This deployment's tutorial, rendered once on first use (or by `warm_up` just after start-up), not at import."""

    def __init__(self, settings: Settings, project_root: Path = PROJECT_ROOT) -> None:
        self.settings = settings
        self.project_root = project_root
        self._tutorial: Tutorial | None = None
        self._lock = threading.Lock()

    def rendered(self) -> Tutorial:
        """Every step, rendered the first time it is asked for."""
        if self._tutorial is None:
            with self._lock:
                if self._tutorial is None:
                    self._tutorial = load_site_tutorial(self.settings, self.project_root)
        return self._tutorial

    def warm_up(self) -> threading.Thread:
        """Render the steps on a thread of their own, so that the first visitor finds them ready."""
        thread = threading.Thread(target=self._render_or_say_why, name="tutorial-warm-up", daemon=True)
        thread.start()
        return thread

    def _render_or_say_why(self) -> None:
        """Render; a broken step is logged in one line (a request that needs the steps fails the same way)."""
        try:
            self.rendered()
        except TutorialError as error:
            logger.error("%s%s", BUILD_FAILED, error)

    def slugs(self) -> frozenset[str]:
        """The steps' slugs, read from their file names without rendering anything."""
        return step_slugs(self.project_root)

    @property
    def steps(self) -> list[Step]:
        """All steps in order."""
        return self.rendered().steps

    def get(self, slug: str) -> Step | None:
        """The step with this slug, if there is one."""
        return self.rendered().get(slug)

    def neighbours(self, step: Step) -> tuple[Step | None, Step | None]:
        """The steps before and after this one."""
        return self.rendered().neighbours(step)
