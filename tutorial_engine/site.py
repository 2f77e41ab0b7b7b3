"""The tutorial as this site serves it: variables from the settings, panels from the site's templates."""

from pathlib import Path

from markupsafe import Markup

from settings import Settings
from templating.environment import templates
from tutorial_engine.loader import load_tutorial
from tutorial_engine.model import Panel, Tutorial, TutorialError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = PROJECT_ROOT / "static"
PANEL_TEMPLATE = "macros/try_it.html"


def step_variables(settings: Settings) -> dict[str, object]:
    """What a step may write as `{{ name }}`: this deployment's origin, tenant and clients."""
    return {
        "site": settings.site_origin,
        "issuer": settings.issuer,
        "tenant_base_url": settings.tenant_base_url,
        "tenant_domain": settings.tenant_domain,
        "builtin": settings.uses_builtin_tenant,
        "audience": settings.auth0_api_audience,
        "web_client_id": settings.web_client_id,
        "swagger_client_id": settings.swagger_client_id,
    }


def render_panel(panel: Panel) -> str:
    """A Try-it panel through the site's `try_panel` macro."""
    macro = templates.env.get_template(PANEL_TEMPLATE).module.try_panel
    return str(Markup(macro(panel)))


def build_site_tutorial(settings: Settings, project_root: Path = PROJECT_ROOT) -> Tutorial:
    """Render every step for this deployment, or stop start-up with one line naming the broken step."""
    try:
        return load_tutorial(project_root, step_variables(settings), render_panel)
    except TutorialError as error:
        raise SystemExit(f"Tutorial build failed: {error}") from None
