"""Inline code in short texts such as step titles and summaries: `iss` shown as <code>iss</code>."""

import re

from markupsafe import Markup, escape

BACKTICKED = re.compile(r"`([^`]+)`")


def inline_code(text: str) -> Markup:
    """Escape `text` and turn each `backticked` part into a code element."""
    return Markup(BACKTICKED.sub(lambda match: f"<code>{match.group(1)}</code>", str(escape(text))))


def plain_text(text: str) -> str:
    """`text` without its backticks, for places that take no markup (a page's title or description)."""
    return BACKTICKED.sub(r"\1", text)
