"""The home page: the sign-in form first, then the modules, today's workshop's module first,
each with its lesson, evaluation and tools."""

from __future__ import annotations

import html
import os

import ipywidgets as w

from course.answers.released import read_results
from course.answers.store import ANSWERS_FILE, AnswerStore, is_empty
from course.content.catalogue import Module
from course.core.french import today
from course.core.todays_module import read_todays_module
from course.learner.pages.base import Page
from course.learner.pages.controls import SignInWidget, _html, _time
from course.learner.session import LESSON_FILE
from course.settings import WORKSHOP_ENV


class CataloguePage(Page):
    needs_learner = False

    def heading(self) -> w.HTML:
        title = html.escape(self.project.settings.course_title)
        return _html(
            f"<h1>{title}</h1><p>Choisissez un module pour apprendre, puis faites l'évaluation.</p>"
        )

    def lesson_done(self, module: Module) -> int:
        """How many of the module's exercises the signed-in learner has answered."""
        workspace = self.project.workspace(self.me.id, module.id)
        lesson = AnswerStore(workspace / LESSON_FILE).answers
        ids = {q.id for q in module.practice_questions}
        return len([k for k, v in lesson.items() if k in ids and not is_empty(v)])

    def status_html(self, module: Module, done: int) -> str:
        """Where the signed-in learner stands in a module: lesson, evaluation, results."""
        workspace = self.project.workspace(self.me.id, module.id)
        ids = {q.id for q in module.practice_questions}
        lines = [f"Leçon : {done} exercice{'s' if done > 1 else ''} sur {len(ids)}."]
        sent = AnswerStore(workspace / ANSWERS_FILE).submitted
        lines.append(
            f"Évaluation : envoyée le {_time(sent)}."
            if sent
            else "Évaluation : pas encore envoyée."
        )
        status = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        if read_results(workspace) is not None:
            status += (
                f"<li><strong>Résultats prêts</strong> : <a class='cq-link' "
                f"href='{self.link(f'{module.id}/resultats.ipynb')}'>voir mes résultats "
                f"« {html.escape(module.title)} »</a></li>"
            )
        return f"<ul class='cq-status' aria-label='Où vous en êtes'>{status}</ul>"

    def todays_module(self) -> str:
        """Today's workshop's module id: as the trainer's space last noted it today (a server
        that runs for days, as a hub's site, started before the workshop existed), else as
        `course serve` found it when it started; "" when there is none."""
        noted = read_todays_module(self.project.data_dir, today())
        return os.environ.get(WORKSHOP_ENV, "") if noted is None else noted

    def modules(self) -> list[Module]:
        """The catalogue, with the module of today's workshop (if the trainer named it) first."""
        wanted = self.todays_module()
        return sorted(self.project.catalogue.modules, key=lambda m: m.id != wanted)

    def render(self) -> None:
        items = [self.heading()]
        if self.learner:
            items.append(_html(f"<p>Bonjour {html.escape(self.learner.name)}.</p>"))
        else:
            items.append(
                _html(
                    "<p>Pour garder vos réponses, entrez votre prénom et votre code, "
                    "ou utilisez votre lien personnel.</p>"
                )
            )
            items.append(SignInWidget(self.access.sign_in, self.signed_in))
        wanted = self.todays_module()
        cards = []
        for m in self.modules():
            competences = ", ".join(m.competences)
            badge = (
                "<p class='cq-today'>Le module de l'atelier d'aujourd'hui</p>"
                if m.id == wanted
                else ""
            )
            done = self.lesson_done(m) if self.learner else 0
            # Started: « Reprendre », and the lesson opens with its answers and feedback.
            start = "Reprendre la leçon" if done else "Commencer la leçon"
            cards.append(
                f"<li class='cq-card'><h2>{html.escape(m.title)}</h2>{badge}"
                f"<p>{html.escape(m.summary)}</p>"
                f"<p>Niveau : {html.escape(m.level)}. Durée : environ {m.duration_minutes} minutes. "
                f"Compétences Pix : {html.escape(competences)}.</p>"
                f"{self.status_html(m, done) if self.learner else ''}"
                f"<p><a class='cq-link' href='{self.link(f'{m.id}/lesson.ipynb')}'>"
                f"{start} « {html.escape(m.title)} »</a></p>"
                f"<p><a class='cq-link' href='{self.link(f'{m.id}/evaluation.ipynb')}'>"
                f"Faire l'évaluation « {html.escape(m.title)} »</a></p>"
                f"{self.tool_links(m, f'{m.id}/')}</li>"
            )
        items.append(_html(f"<ul class='cq-cards'>{''.join(cards)}</ul>"))
        self.root.children = items
