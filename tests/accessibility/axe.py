"""axe-core (from npm, pinned in scripts/test.sh) run inside a page Playwright opened."""

import os
from pathlib import Path

from playwright.sync_api import Page

from tests.local_server import ROOT

# scripts/test.sh installs the pinned axe-core here; AXE_CORE_JS may point at another copy of the same file.
AXE_JS = Path(os.environ.get("AXE_CORE_JS", ROOT / ".cache/axe-core/node_modules/axe-core/axe.min.js"))
BLOCKING_IMPACTS = ("serious", "critical")
RUN_AXE = """async (rules) => {
  const options = rules.length ? { runOnly: rules } : { resultTypes: ["violations"] };
  const results = await axe.run(document, options);
  return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map((node) => node.target.join(" ")), count: v.nodes.length }));
}"""


def inject_axe(page: Page) -> None:
    """Load axe-core into the page (evaluated by the browser's debugger protocol, so the page's CSP allows it)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;true")


def serious_violations(page: Page) -> list[dict]:
    """axe-core's serious and critical findings on the page as it is now."""
    return [found for found in violations_of(page) if found["impact"] in BLOCKING_IMPACTS]


def violations_of(page: Page, *rules: str) -> list[dict]:
    """axe-core's findings on the page as it is now, for the named rules (every rule when none is named)."""
    inject_axe(page)
    return page.evaluate(RUN_AXE, list(rules))


def described(violations: list[dict]) -> str:
    """The findings, one per line, for an assertion message."""
    return "\n".join(f"{v['impact']} {v['id']} x{v['count']}: {v['help']} at {v['targets']}" for v in violations)
