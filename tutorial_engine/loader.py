"""Build the whole tutorial from `tutorials/steps/*.md`, once, failing loudly on any broken step."""

from collections.abc import Callable, Mapping
from pathlib import Path

import jinja2
from markdown import Markdown

from tutorial_engine.directives import DirectiveExtension, StepDirectives
from tutorial_engine.front_matter import parse_front_matter, split_front_matter
from tutorial_engine.model import STEP_FILE_PATTERN, Panel, Step, TocEntry, Tutorial, TutorialError

MARKDOWN_EXTENSIONS = ["toc", "tables", "fenced_code", "codehilite", "attr_list", "admonition", "sane_lists", "def_list"]
MARKDOWN_SETTINGS = {
    "toc": {"permalink": "#", "permalink_title": "Link to this section", "toc_depth": "2-3"},
    "codehilite": {"css_class": "highlight", "guess_lang": False},
}
# `{#` is common in Markdown attribute lists, so Jinja comments get a rarer opening.
SOURCE_ENVIRONMENT = jinja2.Environment(
    undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
    comment_start_string="{##", comment_end_string="##}",
)


def load_tutorial(project_root: Path, variables: Mapping[str, object],
                  render_panel: Callable[[Panel], str]) -> Tutorial:
    """Render every step under `<project_root>/tutorials/steps`; raise TutorialError naming the broken file."""
    tutorials_dir = project_root / "tutorials"
    paths = sorted((tutorials_dir / "steps").glob("*.md"))
    if not paths:
        raise TutorialError(f"no steps found in {tutorials_dir / 'steps'}")
    steps = []
    for path in paths:
        try:
            steps.append(render_step(path, project_root, tutorials_dir, variables, render_panel))
        except (TutorialError, jinja2.TemplateError) as error:
            raise TutorialError(f"{path.relative_to(project_root)}: {error}") from None
    check_unique(steps)
    return Tutorial(steps)


def render_step(path: Path, project_root: Path, tutorials_dir: Path, variables: Mapping[str, object],
                render_panel: Callable[[Panel], str]) -> Step:
    """One step: its variables filled in, its front matter read, its Markdown rendered."""
    name_match = STEP_FILE_PATTERN.match(path.name)
    if name_match is None:
        raise TutorialError("file name must look like `08-read-your-token.md`")
    source = SOURCE_ENVIRONMENT.from_string(path.read_text(encoding="utf-8")).render(variables)
    front_matter_text, body = split_front_matter(source)
    front_matter = parse_front_matter(front_matter_text)
    directives = StepDirectives(project_root, tutorials_dir, front_matter.panels, render_panel)
    markdown = Markdown(extensions=[*MARKDOWN_EXTENSIONS, DirectiveExtension(directives)],
                        extension_configs=MARKDOWN_SETTINGS)
    html = markdown.convert(body)
    unplaced = [panel.id for panel in front_matter.panels if panel.id not in directives.placed_panels]
    if unplaced:
        raise TutorialError(f"panels declared but never placed with `{{* try <id> *}}`: {', '.join(unplaced)}")
    return Step(
        slug=name_match["slug"], order=front_matter.order, title=front_matter.title, summary=front_matter.summary,
        endpoints=front_matter.endpoints, panels=front_matter.panels, html=html,
        toc=tuple(flatten_toc(markdown.toc_tokens)), includes=tuple(directives.includes), source=path,
    )


def flatten_toc(tokens: list[dict]) -> list[TocEntry]:
    """Markdown's nested heading tree as a flat list."""
    entries = []
    for token in tokens:
        entries.append(TocEntry(id=token["id"], title=token["name"], level=token["level"]))
        entries.extend(flatten_toc(token["children"]))
    return entries


def check_unique(steps: list[Step]) -> None:
    """No two steps may share an order or a slug."""
    for attribute in ("order", "slug"):
        seen: dict[object, Step] = {}
        for step in steps:
            value = getattr(step, attribute)
            if value in seen:
                raise TutorialError(f"{step.source.name} and {seen[value].source.name} share the {attribute} {value}")
            seen[value] = step
