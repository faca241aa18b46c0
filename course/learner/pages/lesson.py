"""A module's lesson: steps of text with practice questions that answer at once, resumed where
the learner left off.
"""

from __future__ import annotations

import html

import ipywidgets as w

from course.answers.store import is_empty
from course.content.catalogue import Module
from course.core.french import markdown_html
from course.learner.pages.base import Page
from course.learner.pages.controls import _html
from course.learner.session import LearnerSession
from course.learner.widgets import make_question


class ModulePage(Page):
    reads_aloud = True

    def __init__(self, module_id: str):
        super().__init__()
        self.module_id = module_id
        self.module: Module  # set by _show, before anything is drawn

    def _show(self) -> None:
        try:
            self.module = self.project.catalogue.get(self.module_id)
        except KeyError:
            self.root.children = [
                _html(
                    "<div class='cq-page-error' role='alert'><h1>Ce module n'existe plus</h1>"
                    "<p>La personne qui anime l'atelier l'a retiré ou renommé.</p>"
                    "<p><a class='cq-link' href='../index.ipynb'>Retour à la liste des modules"
                    "</a></p></div>"
                )
            ]
            return
        super()._show()

    def store_key(self, page: str) -> str:
        """Where the browser keeps answers not yet saved: per learner, module and page."""
        return f"{self.learner.id}:{self.module.id}:{page}" if self.learner else ""

    def back_link(self) -> str:
        return f"<p><a class='cq-link' href='{self.link('../index.ipynb')}'>Retour à la liste des modules</a></p>"


class LessonPage(ModulePage):
    needs_learner = False

    def heading(self) -> w.HTML:
        return _html(f"<h1>{html.escape(self.module.lesson_title)}</h1>")

    def render(self) -> None:
        session = (
            LearnerSession(self.project, self.module, self.learner.id) if self.learner else None
        )
        saved = session.lesson_store.answers if session else {}
        self.session = session
        items = [self.heading()]
        if not session:
            items.append(
                _html(
                    "<p>Vous n'êtes pas connecté : vos réponses ne seront pas gardées. Pour les "
                    "garder, entrez votre prénom et votre code en bas de la page.</p>"
                )
            )
        if session:
            items += self.resume_note(saved)
        total = len(self.module.practice_questions)
        n = 0
        for step in self.module.lesson:
            if step.title or step.text:
                title = f"<h2>{html.escape(step.title)}</h2>" if step.title else ""
                items.append(_html(title + markdown_html(step.text), "cq-text-block"))
            if step.question:
                n += 1
                items.append(
                    make_question(
                        step.question,
                        number_label=f"Exercice {n} sur {total}",
                        mode="practice",
                        initial=saved.get(step.question.id),
                        on_answer=self.practice if session else None,
                        store_key=self.store_key("lecon"),
                        learner=self.learner.id if self.learner else "",
                    )
                )
        self.end = _html(self.end_html(saved if session else None))
        items.append(self.end)
        self.root.children = items
        if not session:
            self.ask_sign_in()

    def resume_note(self, saved: dict) -> list[w.HTML]:
        """A lesson reopened half done: where the learner stopped, and a link to go on."""
        questions = self.module.practice_questions
        answered = [q for q in questions if not is_empty(saved.get(q.id))]
        if not answered or len(answered) == len(questions):
            return []
        number, following = next(
            (i, q) for i, q in enumerate(questions, 1) if is_empty(saved.get(q.id))
        )
        return [
            _html(
                f"<p class='cq-notice cq-resume'>Vous reprenez la leçon : vous avez fait "
                f"{len(answered)} exercice{'s' if len(answered) > 1 else ''} sur "
                f"{len(questions)}. Vos réponses et les explications sont gardées plus bas. "
                f"<a class='cq-link' href='#question-{html.escape(following.id)}'>Aller à "
                f"l'exercice {number}</a></p>"
            )
        ]

    def end_html(self, saved: dict | None) -> str:
        """The lesson's last words: how many exercises are done, never « fini » too early."""
        total = len(self.module.practice_questions)
        ids = {q.id for q in self.module.practice_questions}
        done = len([k for k, v in (saved or {}).items() if k in ids and not is_empty(v)])
        if saved is None:
            status = "<p>Quand vous êtes prêt, faites l'évaluation.</p>"
        elif done >= total:
            did = "l'exercice" if total == 1 else f"les {total} exercices"
            status = (
                f"<p>Vous avez fait {did}. Bravo. Quand vous êtes prêt, faites l'évaluation.</p>"
            )
        else:
            status = (
                f"<p>Vous avez fait {done} exercice{'s' if done > 1 else ''} sur {total}. "
                "Vous pouvez faire les autres, ou passer à l'évaluation quand vous êtes prêt.</p>"
            )
        return (
            f"<h2>À retenir</h2>{status}<p><a class='cq-link' href='{self.link('evaluation.ipynb')}'>"
            "Faire l'évaluation</a></p>" + self.tool_links(self.module, "") + self.back_link()
        )

    def practice(self, question_id: str, value: object) -> None:
        # As for the evaluation: another tab may have written the file since this page opened.
        session = self.session
        if session is None:  # practice is only wired for a signed-in learner
            return
        self.check_signed_in()
        session.practice(question_id, value)
        self.end.value = self.end_html(session.lesson_store.answers)
