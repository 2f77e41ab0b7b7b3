"""The Jinja2 environment shared by the site's pages."""

from pathlib import Path

from fastapi.templating import Jinja2Templates

from templating.inline_code import inline_code, plain_text

TEMPLATES_DIR = Path(__file__).parent.parent / "templates"

templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.filters["inline_code"] = inline_code
templates.env.filters["plain_text"] = plain_text
