"""Front matter: a TOML block between `+++` lines at the top of a step."""

import tomllib
from dataclasses import dataclass

from tutorial_engine.model import FILL_SOURCES, TOKEN_SOURCES, Panel, TutorialError

DELIMITER = "+++"
REQUIRED_FIELDS = ("title", "order", "summary")
PANEL_FIELDS = {"id", "title", "method", "url", "token", "body", "note", "fill"}
NO_FRONT_MATTER = "must start with a `+++` line opening its TOML front matter"
UNCLOSED_FRONT_MATTER = "front matter is not closed by a `+++` line"


@dataclass(frozen=True)
class FrontMatter:
    """The validated fields of a step's front matter."""

    title: str
    order: int
    summary: str
    endpoints: tuple[str, ...]
    panels: tuple[Panel, ...]


def split_front_matter(text: str) -> tuple[str, str]:
    """Split a step's source into its TOML front matter and its Markdown body."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != DELIMITER:
        raise TutorialError(NO_FRONT_MATTER)
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == DELIMITER:
            return "".join(lines[1:index]), "".join(lines[index + 1:])
    raise TutorialError(UNCLOSED_FRONT_MATTER)


def parse_front_matter(toml_text: str) -> FrontMatter:
    """Parse and validate the TOML front matter of one step."""
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as error:
        raise TutorialError(f"front matter is not valid TOML: {error}") from None
    for name in REQUIRED_FIELDS:
        if name not in data:
            raise TutorialError(f"front matter misses `{name}`")
    if not isinstance(data["order"], int):
        raise TutorialError("front matter `order` must be an integer")
    panels = tuple(parse_panel(raw) for raw in data.get("panels", []))
    ids = [panel.id for panel in panels]
    if len(ids) != len(set(ids)):
        raise TutorialError("two panels share the same `id`")
    return FrontMatter(
        title=str(data["title"]),
        order=data["order"],
        summary=str(data["summary"]).strip(),
        endpoints=tuple(str(endpoint) for endpoint in data.get("endpoints", [])),
        panels=panels,
    )


def parse_panel(raw: dict) -> Panel:
    """One `[[panels]]` table, checked."""
    unknown = set(raw) - PANEL_FIELDS
    if unknown:
        raise TutorialError(f"panel has unknown fields: {', '.join(sorted(unknown))}")
    for name in ("id", "title", "method", "url"):
        if not raw.get(name):
            raise TutorialError(f"panel misses `{name}`")
    token = raw.get("token", "none")
    if token not in TOKEN_SOURCES:
        raise TutorialError(f"panel `{raw['id']}` has token `{token}`; use one of {', '.join(TOKEN_SOURCES)}")
    fill = raw.get("fill")
    if fill is not None and (fill not in FILL_SOURCES or not raw.get("body")):
        raise TutorialError(f"panel `{raw['id']}` has fill `{fill}`; use one of {', '.join(FILL_SOURCES)}, with a body")
    return Panel(
        id=raw["id"], title=raw["title"], method=raw["method"].upper(), url=raw["url"], token=token,
        body=raw.get("body"), note=raw.get("note"), fill=fill,
    )
