"""The home page: the modules of the workshop, each with its lesson, evaluation and tools."""

from __future__ import annotations

import html

import ipywidgets as w

from course.learner.pages.base import Page
from course.learner.pages.controls import _html


class CataloguePage(Page):
    needs_learner = False

    def heading(self) -> w.HTML:
        title = html.escape(self.project.settings.course_title)
        return _html(
            f"<h1>{title}</h1><p>Choisissez un module pour apprendre, puis faites l'évaluation.</p>"
        )

    def render(self) -> None:
        items = [self.heading()]
        if self.learner:
            items.append(_html(f"<p>Bonjour {html.escape(self.learner.name)}.</p>"))
        else:
            items.append(
                _html(
                    "<p>Pour garder vos réponses, entrez votre prénom et votre code "
                    "en bas de la page, ou utilisez votre lien personnel.</p>"
                )
            )
        cards = []
        for m in self.project.catalogue.modules:
            competences = ", ".join(m.competences)
            cards.append(
                f"<li class='cq-card'><h2>{html.escape(m.title)}</h2>"
                f"<p>{html.escape(m.summary)}</p>"
                f"<p>Niveau : {html.escape(m.level)}. Durée : environ {m.duration_minutes} minutes. "
                f"Compétences Pix : {html.escape(competences)}.</p>"
                f"<p><a class='cq-link' href='{self.link(f'{m.id}/lesson.ipynb')}'>"
                f"Commencer la leçon « {html.escape(m.title)} »</a></p>"
                f"<p><a class='cq-link' href='{self.link(f'{m.id}/evaluation.ipynb')}'>"
                f"Faire l'évaluation « {html.escape(m.title)} »</a></p>"
                f"{self.tool_links(m, f'{m.id}/')}</li>"
            )
        items.append(_html(f"<ul class='cq-cards'>{''.join(cards)}</ul>"))
        self.root.children = items
        if not self.learner:
            self.ask_sign_in()
