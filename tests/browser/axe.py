"""axe-core, run in the page: the WCAG 2.0, 2.1 and 2.2 A and AA rules.

axe comes from the npm registry and is kept under vendor/ (see vendor/README.md). It is
added to every page of a scanning browser context as an init script, which the site's
Content-Security-Policy (no inline scripts) does not block, and which Chromium compiles
once and caches.
"""
from __future__ import annotations

from pathlib import Path

AXE_SOURCE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}

# Findings of moderate or minor impact, listed at the end of the run (conftest.py).
listed: list[str] = []


def prepare(context) -> None:
    """Make axe available on every page this browser context opens."""
    context.add_init_script(path=str(AXE_SOURCE))


def violations(page) -> list[dict]:
    return page.evaluate(
        """tags => axe.run(document, {
               runOnly: {type: 'tag', values: tags},
               resultTypes: ['violations'],
           }).then(result => result.violations.map(v => ({
               id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
           })))""",
        WCAG_TAGS,
    )


def describe(found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.extend(f"    {node}" for node in violation["nodes"][:8])
    return "\n".join(lines)


def check(page, where: str) -> None:
    """Fail on any serious or critical violation; list the rest for the run's summary."""
    found = violations(page)
    serious = [v for v in found if v["impact"] in FAILING_IMPACTS]
    others = [v for v in found if v["impact"] not in FAILING_IMPACTS]
    if others:
        listed.append(f"{where}\n{describe(others)}")
    assert not serious, f"axe found on {where}:\n{describe(serious)}"
