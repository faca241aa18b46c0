"""« Vos données » at the hub: the learners' notice on personal data, linked from the hub's
sign-in page and readable without signing in (`/hub/donnees`), as the laptop's sign-in form
links it (`course.learner.pages.privacy`). One text for both: the learners' notice
`course/learner/data/donnees-personnelles.md`, read as a file (the hub imports nothing of the
learner pages, docs/architecture.md), drawn in the hub's own page (`templates/donnees.html`).
"""

from __future__ import annotations

from pathlib import Path

from jupyterhub.handlers.base import BaseHandler
from markupsafe import Markup

from course.core.french import markdown_html

NOTICE = Path(__file__).parents[1] / "learner" / "data" / "donnees-personnelles.md"
PATH = "/donnees"  # under the hub's base URL: /hub/donnees


def notice_html() -> Markup:
    """The notice, Markdown to HTML (raw HTML in it escaped by `markdown_html`)."""
    return Markup(markdown_html(NOTICE.read_text(encoding="utf-8")))  # noqa: S704


class DataNoticeHandler(BaseHandler):
    """The notice, for anyone: no sign-in, nothing about the visitor read or kept."""

    def check_xsrf_cookie(self) -> None:
        """A page to read: no form, nothing to check."""

    async def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")
        self.finish(await self.render_template("donnees.html", notice=notice_html()))
