"""What a rendered tutorial is made of: steps, their Try-it panels, and the whole ordered collection."""

import re
from dataclasses import dataclass, field
from pathlib import Path

TOKEN_SOURCES = ("none", "bearer")
# Which remembered refresh token a panel writes into its body's `refresh_token` field.
FILL_SOURCES = ("refresh_token", "spent_refresh_token")
STEP_FILE_PATTERN = re.compile(r"^\d+-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")


def step_slugs(project_root: Path) -> frozenset[str]:
    """The slugs of the steps under `<project_root>/tutorials/steps`, from their file names alone."""
    names = (STEP_FILE_PATTERN.match(path.name) for path in (project_root / "tutorials" / "steps").glob("*.md"))
    return frozenset(name["slug"] for name in names if name)


class TutorialError(Exception):
    """A step cannot be built: bad front matter, a missing include, an unknown panel."""


@dataclass(frozen=True)
class Panel:
    """A Try-it panel: one real HTTP call the visitor's browser makes."""

    id: str
    title: str
    method: str
    url: str
    token: str = "none"
    body: str | None = None
    note: str | None = None
    fill: str | None = None


@dataclass(frozen=True)
class TocEntry:
    """One heading of a step, for its table of contents."""

    id: str
    title: str
    level: int


@dataclass(frozen=True)
class Include:
    """A file (or a range of its lines) shown on a step."""

    path: str
    first_line: int
    last_line: int


@dataclass(frozen=True)
class Step:
    """One rendered step of the tutorial."""

    slug: str
    order: int
    title: str
    summary: str
    endpoints: tuple[str, ...]
    panels: tuple[Panel, ...]
    html: str
    toc: tuple[TocEntry, ...]
    includes: tuple[Include, ...]
    source: Path


@dataclass
class Tutorial:
    """All steps in order, looked up by slug."""

    steps: list[Step]
    _by_slug: dict[str, Step] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.steps = sorted(self.steps, key=lambda step: step.order)
        self._by_slug = {step.slug: step for step in self.steps}

    def get(self, slug: str) -> Step | None:
        """The step with this slug, if there is one."""
        return self._by_slug.get(slug)

    def neighbours(self, step: Step) -> tuple[Step | None, Step | None]:
        """The steps before and after this one."""
        index = self.steps.index(step)
        previous = self.steps[index - 1] if index > 0 else None
        following = self.steps[index + 1] if index + 1 < len(self.steps) else None
        return previous, following
