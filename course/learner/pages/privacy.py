"""The notice on personal data: what is kept about a learner, why, for how long, and how to have
it erased. Linked from the sign-in form (`page.js`), readable without signing in, served offline
like every page. Its text is `course/learner/data/donnees-personnelles.md` (also in docs/, for
the structure that publishes it)."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from course.core.french import markdown_html
from course.learner.pages.base import Page
from course.learner.pages.controls import _html

NOTICE = Path(__file__).parents[1] / "data" / "donnees-personnelles.md"


def notice_html() -> str:
    return markdown_html(NOTICE.read_text(encoding="utf-8"))


class PrivacyPage(Page):
    needs_learner = False

    def heading(self) -> w.HTML:
        return _html("")  # the notice starts with its own title

    def render(self) -> None:
        self.root.children = [
            _html(notice_html(), "cq-text-block"),
            _html(
                f"<p><a class='cq-link' href='{self.link('index.ipynb')}'>"
                "Retour à l'accueil</a></p>"
            ),
        ]
