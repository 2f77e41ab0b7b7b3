"""A Markdown extension for the lines that are not Markdown: includes, Try-it panels, sequence diagrams."""

import re
from collections.abc import Callable
from pathlib import Path

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from tutorial_engine.includes import parse_include, render_include
from tutorial_engine.model import Include, Panel, TutorialError
from tutorial_engine.sequence import parse_sequence, render_sequence

DIRECTIVE_PATTERN = re.compile(r"^\{\*\s*(?P<argument>.+?)\s*\*\}\s*$")
FENCE_PATTERN = re.compile(r"^(?P<fence>```+|~~~+)\s*(?P<language>[\w+-]*)")
# Code in these languages must be a real file, included, so that a test can run it.
LANGUAGES_TO_INCLUDE = {"python", "py", "html", "jinja", "html+jinja", "jinja2", "javascript", "js"}
SEQUENCE_LANGUAGE = "sequence"


class StepDirectives:
    """What one step's directives need, and what they found."""

    def __init__(self, project_root: Path, tutorials_dir: Path, panels: tuple[Panel, ...],
                 render_panel: Callable[[Panel], str]) -> None:
        self.project_root = project_root
        self.tutorials_dir = tutorials_dir
        self.panels = {panel.id: panel for panel in panels}
        self.render_panel = render_panel
        self.includes: list[Include] = []
        self.placed_panels: list[str] = []
        self.diagram_count = 0

    def expand(self, argument: str) -> str:
        """The HTML for one `{* ... *}` directive."""
        if argument.startswith("try "):
            panel_id = argument.removeprefix("try ").strip()
            if panel_id not in self.panels:
                raise TutorialError(f"`{{* try {panel_id} *}}` names no panel of the front matter")
            if panel_id in self.placed_panels:
                raise TutorialError(f"panel `{panel_id}` is placed twice")
            self.placed_panels.append(panel_id)
            return self.render_panel(self.panels[panel_id])
        include, html = render_include(parse_include(argument), self.project_root, self.tutorials_dir)
        self.includes.append(include)
        return html

    def diagram(self, text: str) -> str:
        """The HTML for one ```sequence block."""
        self.diagram_count += 1
        return render_sequence(parse_sequence(text), f"diagram-{self.diagram_count}")


class DirectivePreprocessor(Preprocessor):
    """Replaces directive lines and sequence blocks by stashed HTML; rejects pasted code."""

    def __init__(self, md: Markdown, directives: StepDirectives) -> None:
        super().__init__(md)
        self.directives = directives

    def run(self, lines: list[str]) -> list[str]:
        """Expand the step's directives, leaving other fenced code to the fenced_code extension."""
        output: list[str] = []
        fence: str | None = None
        diagram_lines: list[str] | None = None
        for line in lines:
            if fence is not None:
                if line.strip() == fence:
                    if diagram_lines is not None:
                        output.extend(["", self.md.htmlStash.store(self.directives.diagram("\n".join(diagram_lines))), ""])
                    else:
                        output.append(line)
                    fence, diagram_lines = None, None
                elif diagram_lines is not None:
                    diagram_lines.append(line)
                else:
                    output.append(line)
                continue
            fence_match = FENCE_PATTERN.match(line)
            if fence_match:
                fence, language = fence_match["fence"], fence_match["language"].lower()
                if language in LANGUAGES_TO_INCLUDE:
                    raise TutorialError(f"a ```{language} block is pasted code; put it in a file and include it")
                if language == SEQUENCE_LANGUAGE:
                    diagram_lines = []
                else:
                    output.append(line)
                continue
            directive = DIRECTIVE_PATTERN.match(line)
            if directive:
                output.extend(["", self.md.htmlStash.store(self.directives.expand(directive["argument"])), ""])
            else:
                output.append(line)
        if fence is not None:
            raise TutorialError(f"a {fence} code block is never closed")
        return output


class DirectiveExtension(Extension):
    """Registers the directive preprocessor ahead of fenced_code."""

    def __init__(self, directives: StepDirectives) -> None:
        super().__init__()
        self.directives = directives

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        """Run after whitespace normalising (30), before fenced code (25) and HTML blocks (20)."""
        md.preprocessors.register(DirectivePreprocessor(md, self.directives), "tutorial_directives", 29)
