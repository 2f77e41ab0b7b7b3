"""Include directives: show a real file under `tutorials/`, or a range of its lines, highlighted."""

import re
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import cache
from html import escape
from pathlib import Path

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_all_lexers, get_lexer_by_name

from tutorial_engine.model import Include, TutorialError

INCLUDE_PATTERN = re.compile(
    r"^(?P<path>tutorials/\S+)(?:\s+ln\[(?P<first>\d+):(?P<last>\d+)\])?(?:\s+hl\[(?P<highlight>[\d,:]+)\])?$"
)
LEXER_OVERRIDES = {".jinja": "html+jinja", ".j2": "html+jinja", ".env": "bash", "Procfile": "text"}


@dataclass(frozen=True)
class IncludeRequest:
    """What an include directive asks for, before it is checked against the file."""

    path: str
    first_line: int | None
    last_line: int | None
    highlighted: tuple[int, ...]


def parse_include(argument: str) -> IncludeRequest:
    """Parse `tutorials/<path> [ln[a:b]] [hl[x,y:z]]`."""
    match = INCLUDE_PATTERN.match(argument.strip())
    if match is None:
        raise TutorialError(f"cannot read include `{argument}`; write `tutorials/<path> ln[a:b] hl[x,y:z]`")
    first, last = match["first"], match["last"]
    return IncludeRequest(
        path=match["path"],
        first_line=int(first) if first else None,
        last_line=int(last) if last else None,
        highlighted=parse_line_set(match["highlight"] or ""),
    )


def parse_line_set(text: str) -> tuple[int, ...]:
    """`3,5:7` -> (3, 5, 6, 7)."""
    lines: list[int] = []
    for part in filter(None, text.split(",")):
        first, _, last = part.partition(":")
        lines.extend(range(int(first), int(last or first) + 1))
    return tuple(lines)


def resolve_include(request: IncludeRequest, project_root: Path, tutorials_dir: Path) -> tuple[Include, list[str]]:
    """Check the file exists inside `tutorials/` and the range fits; return it with its selected lines."""
    path = (project_root / request.path).resolve()
    if not path.is_relative_to(tutorials_dir.resolve()):
        raise TutorialError(f"included file `{request.path}` is outside tutorials/")
    if not path.is_file():
        raise TutorialError(f"included file `{request.path}` does not exist")
    lines = path.read_text(encoding="utf-8").splitlines()
    first = 1 if request.first_line is None else request.first_line
    last = len(lines) if request.last_line is None else request.last_line
    if not 1 <= first <= last <= len(lines):
        raise TutorialError(f"lines {first}-{last} of `{request.path}` are out of range (it has {len(lines)} lines)")
    outside = [number for number in request.highlighted if not first <= number <= last]
    if outside:
        raise TutorialError(f"highlighted lines {outside} of `{request.path}` are outside the included range")
    return Include(path=request.path, first_line=first, last_line=last), lines[first - 1:last]


def lexer_for(path: str):
    """The Pygments lexer for a file name, plain text when unknown."""
    name = Path(path).name
    override = LEXER_OVERRIDES.get(name) or LEXER_OVERRIDES.get(Path(path).suffix)
    if override:
        return get_lexer_by_name(override)
    return get_lexer_by_name(builtin_lexer_alias(name) or "text")


@cache
def builtin_lexer_alias(filename: str) -> str | None:
    """The alias of Pygments' own lexer for a file name (plugins are not searched: some import whole IDEs)."""
    # When several lexers claim the name, the one with the most specific pattern (the longest) wins.
    matches = [(len(pattern), aliases[0]) for _, aliases, patterns, _ in get_all_lexers(plugins=False) if aliases
               for pattern in patterns if fnmatch(filename, pattern)]
    return max(matches, key=lambda match: match[0])[1] if matches else None


def render_include(request: IncludeRequest, project_root: Path, tutorials_dir: Path) -> tuple[Include, str]:
    """The include as a captioned, highlighted code figure."""
    include, lines = resolve_include(request, project_root, tutorials_dir)
    formatter = HtmlFormatter(
        cssclass="highlight",
        hl_lines=[number - include.first_line + 1 for number in request.highlighted],
    )
    code_html = highlight("\n".join(lines) + "\n", lexer_for(include.path), formatter)
    whole_file = request.first_line is None
    where = "" if whole_file else f' <span class="code-lines">lines {include.first_line}–{include.last_line}</span>'
    caption = f'<figcaption><span class="code-path">{escape(include.path)}</span>{where}</figcaption>'
    return include, f'<figure class="code-include">{caption}{code_html}</figure>'
