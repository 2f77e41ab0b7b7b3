"""Sequence diagrams from a few lines of text (`A -> B: label`), drawn as inline SVG."""

import re
from dataclasses import dataclass
from html import escape

from tutorial_engine.model import TutorialError

MESSAGE_PATTERN = re.compile(r"^(?P<source>[^-:>][^:]*?)\s*(?P<arrow>-->|->)\s*(?P<target>[^:]+?)\s*:\s*(?P<label>.+)$")
COLUMN_WIDTH = 200
MARGIN = 16
BOX_HEIGHT = 36
ROW_HEIGHT = 46
CHARACTER_WIDTH = 7.2  # average glyph width of the 13px label font, to size note boxes


@dataclass(frozen=True)
class Message:
    """One arrow: who sends what to whom; dashed when it answers or redirects."""

    source: str
    target: str
    label: str
    dashed: bool


@dataclass(frozen=True)
class Diagram:
    """A titled list of messages between participants, in order."""

    title: str
    participants: tuple[str, ...]
    messages: tuple[Message, ...]


def parse_sequence(text: str) -> Diagram:
    """Read `title:`, optional `participants:` and one `A -> B: label` (or `-->`) per line."""
    title = ""
    participants: list[str] = []
    messages: list[Message] = []
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        if line.startswith("title:"):
            title = line.removeprefix("title:").strip()
            continue
        if line.startswith("participants:"):
            participants = [name.strip() for name in line.removeprefix("participants:").split(",")]
            continue
        match = MESSAGE_PATTERN.match(line)
        if match is None:
            raise TutorialError(f"sequence diagram line is not `A -> B: label`: {line!r}")
        message = Message(match["source"], match["target"], match["label"], match["arrow"] == "-->")
        for name in (message.source, message.target):
            if name not in participants:
                participants.append(name)
        messages.append(message)
    if not title or not messages:
        raise TutorialError("a sequence diagram needs a `title:` line and at least one message")
    return Diagram(title=title, participants=tuple(participants), messages=tuple(messages))


def render_sequence(diagram: Diagram, diagram_id: str) -> str:
    """The diagram as an accessible figure: the SVG, and the same steps in words."""
    columns = {name: MARGIN + COLUMN_WIDTH * index + COLUMN_WIDTH / 2 for index, name in enumerate(diagram.participants)}
    width = MARGIN * 2 + COLUMN_WIDTH * len(diagram.participants)
    bottom = BOX_HEIGHT + ROW_HEIGHT * (len(diagram.messages) + 1) - ROW_HEIGHT / 2
    parts = [
        f'<svg class="sequence" viewBox="0 0 {width} {bottom + BOX_HEIGHT / 2:.0f}" width="{width}" role="img" '
        f'aria-labelledby="{diagram_id}-title">',
        f'<title id="{diagram_id}-title">{escape(diagram.title)}</title>',
        f'<defs><marker id="{diagram_id}-head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        f'markerHeight="8" orient="auto-start-reverse"><path class="seq-head" d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    ]
    for name, x in columns.items():
        parts.append(f'<line class="seq-lifeline" x1="{x}" y1="{BOX_HEIGHT}" x2="{x}" y2="{bottom}"/>')
        parts.append(
            f'<rect class="seq-box" x="{x - COLUMN_WIDTH / 2 + 8}" y="0" width="{COLUMN_WIDTH - 16}" '
            f'height="{BOX_HEIGHT}" rx="6"/>'
            f'<text class="seq-name" x="{x}" y="{BOX_HEIGHT / 2 + 5}" text-anchor="middle">{escape(name)}</text>'
        )
    for number, message in enumerate(diagram.messages, start=1):
        parts.append(render_message(number, message, columns, BOX_HEIGHT + ROW_HEIGHT * number, diagram_id))
    parts.append("</svg>")
    steps = "".join(
        f"<li><strong>{escape(message.source)}</strong> → <strong>{escape(message.target)}</strong>: "
        f"{escape(message.label)}</li>"
        for message in diagram.messages
    )
    return (
        f'<figure class="sequence-figure"><div class="sequence-scroll">{"".join(parts)}</div>'
        f"<figcaption>{escape(diagram.title)}</figcaption>"
        f"<details><summary>The same steps in words</summary><ol>{steps}</ol></details></figure>"
    )


def render_message(number: int, message: Message, columns: dict[str, float], y: float, diagram_id: str) -> str:
    """One numbered arrow with its label, or a note box when a participant talks to itself."""
    label = escape(f"{number}. {message.label}")
    x1, x2 = columns[message.source], columns[message.target]
    if x1 == x2:
        note_width = min(COLUMN_WIDTH - 12, len(label) * CHARACTER_WIDTH + 16)
        return (
            f'<rect class="seq-note" x="{x1 - note_width / 2}" y="{y - 16}" width="{note_width}" height="24" rx="4"/>'
            f'<text class="seq-label" x="{x1}" y="{y}" text-anchor="middle">{label}</text>'
        )
    dash = " seq-dashed" if message.dashed else ""
    return (
        f'<line class="seq-arrow{dash}" x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" marker-end="url(#{diagram_id}-head)"/>'
        f'<text class="seq-label" x="{(x1 + x2) / 2}" y="{y - 7}" text-anchor="middle">{label}</text>'
    )
