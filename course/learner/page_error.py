"""The one text of a learner page that cannot be drawn (`page_error.html`, beside the Voilà
template): the template's `error` block includes it, the server sends it when a page's kernel
never answered (`course.server.page_failsafe`), and a page whose kernel failed while drawing
shows it too (`course.learner.pages.controls.PAGE_ERROR`). Read without Jinja or Voilà, so the
kernels can import it."""

from __future__ import annotations

from pathlib import Path

PAGE_ERROR_FILE = Path(__file__).parent / "share/voila/templates/atelier/page_error.html"


def page_error_fragment() -> str:
    """The file's HTML, its leading Jinja comment taken off."""
    text = PAGE_ERROR_FILE.read_text(encoding="utf-8")
    return text[text.index("-#}") + 3 :].strip()
