"""What a person would check on a page: axe's WCAG 2.1 AA rules, reflow at a narrow width or
a zoom (nothing sideways, controls inside the screen, buttons 44 px high), and full-page
screenshots kept in test-artifacts/ for a person to look at."""

from __future__ import annotations

from pathlib import Path

from support.project import REPO

ARTIFACTS = REPO / "test-artifacts"
# Every WCAG 2.1 A/AA rule runs on every node; only the violations come back in full (axe's
# passes list each node that passed: most of a long lesson, serialised to Python for nothing).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options=AXE_OPTIONS)
    return [
        {
            "id": v["id"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result.response["violations"]
    ]


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- Reflow ---------------------------------------------------------------------------------

OUTSIDE_THE_SCREEN = """() => {
  const width = window.innerWidth;
  const bad = [];
  if (document.documentElement.scrollWidth > width)
    bad.push(['page', document.documentElement.scrollWidth, width]);
  const selector = 'button, input, textarea, select, a.cq-link, label.cq-choice, legend, h1, h2, ' +
    'fieldset, .cq-panel, .cq-card, .cq-banner, p';
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest('.cq-invisible')) continue;
    const box = el.getBoundingClientRect();
    if (!box.width && !box.height) continue;
    if (box.left < -1 || box.right > width + 1)
      bad.push([el.tagName, (el.textContent || '').trim().slice(0, 40),
                Math.round(box.left), Math.round(box.right)]);
  }
  return bad;
}"""


def check_fits(page, where: str) -> None:
    """Nothing sideways, every control inside the screen, buttons still 44 px high."""
    assert page.evaluate(OUTSIDE_THE_SCREEN) == [], where
    small = page.evaluate(
        """() => [...document.querySelectorAll('button')]
          .map(b => [b.textContent.trim(), b.getBoundingClientRect().height])
          .filter(([_, h]) => h > 0 && h < 44)"""
    )
    assert small == [], where
