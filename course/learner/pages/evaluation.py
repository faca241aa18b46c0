"""A module's evaluation: graded questions saved at every click, reviewed, then sent to nbgrader's
exchange for the trainer to collect.
"""

from __future__ import annotations

import html

import ipywidgets as w

from course.answers.released import read_results
from course.answers.store import AnswerStore
from course.core.french import markdown_html
from course.learner.pages.controls import SubmitWidget, _html, _time
from course.learner.pages.lesson import ModulePage
from course.learner.session import LearnerSession
from course.learner.widgets import make_question
from course.trainer.submission import WorkflowError, is_collected, is_released


def _plural(word: str, items: list) -> str:
    return word + "s" if len(items) > 1 else word


def _numbers(numbers: list[int]) -> str:
    text = [str(n) for n in numbers]
    return text[0] if len(text) == 1 else ", ".join(text[:-1]) + " et " + text[-1]


class EvaluationPage(ModulePage):
    def heading(self) -> w.HTML:
        return _html(f"<h1>Évaluation : {html.escape(self.module.title)}</h1>")

    @property
    def collected(self) -> bool:
        """The trainer has collected this learner's submission: no more changes."""
        return is_collected(self.project, self.module, self.me.id)

    def render(self) -> None:
        self.session = LearnerSession(self.project, self.module, self.me.id)
        answers = self.session.store.answers
        items = [self.heading(), _html(f"<p>Bonjour {html.escape(self.me.name)}.</p>")]
        if self.session.store.recovered_from:
            items.append(
                _html(
                    "<p role='alert'>Vos réponses précédentes étaient abîmées. "
                    "Elles ont été mises de côté pour l'animateur.</p>"
                )
            )
        collected = self.collected
        sent = self.session.store.submitted
        if sent:
            items.append(
                _html(
                    f"<p class='cq-notice cq-sent'><strong>✔ Évaluation envoyée le "
                    f"{_time(sent)}.</strong>"
                    + (
                        ""
                        if collected
                        else " Vous pouvez encore changer vos réponses et les renvoyer, tant "
                        "que la personne qui anime l'atelier ne les a pas ramassées."
                    )
                    + "</p>"
                )
            )
        if collected:
            items.append(
                _html(
                    "<p class='cq-notice'><strong>Vos réponses ont été ramassées pour la "
                    "correction.</strong> Vous pouvez les relire, mais plus les changer.</p>"
                )
            )
        elif not is_released(self.project, self.module):
            items.append(
                _html(
                    "<p class='cq-notice'>L'évaluation n'est pas encore ouverte. Vous pouvez déjà "
                    "répondre : vos réponses sont enregistrées. Vous pourrez les envoyer quand la "
                    "personne qui anime l'atelier l'aura ouverte.</p>"
                )
            )
        if read_results(self.project.workspace(self.me.id, self.module.id)) is not None:
            items.append(
                _html(
                    "<p class='cq-notice'><strong>Vos résultats sont prêts.</strong> "
                    f"<a class='cq-link' href='{self.link('resultats.ipynb')}'>Voir mes résultats "
                    "et les explications</a></p>"
                )
            )
        elif self.module.evaluation_intro:
            items.append(_html(markdown_html(self.module.evaluation_intro), "cq-text-block"))
        total = len(self.module.questions)
        self.questions = []
        for i, q in enumerate(self.module.questions, 1):
            widget = make_question(
                q,
                number_label=f"Question {i} sur {total}",
                initial=answers.get(q.id),
                on_answer=self.answer,
                store_key=self.store_key("evaluation"),
                learner=self.me.id,
            )
            widget.disabled = collected
            self.questions.append(widget)
            items.append(widget)
        self.submit = SubmitWidget(self.review, self.send, disabled=collected)
        items += [self.submit, _html(self.back_link())]
        self.root.children = items

    def answer(self, question_id: str, value: object) -> None:
        # The store merges under a lock: another tab or computer of the same learner may write
        # the same file at the same moment, and each page adds to it.
        self.check_signed_in()
        self.session.answer(question_id, value)

    def refused(self) -> dict | None:
        if self.collected:
            for widget in self.questions:
                widget.disabled = True
            self.submit.disabled = True
            return {
                "kind": "error",
                "title": "Vos réponses ont déjà été ramassées",
                "lines": [
                    "La personne qui anime l'atelier a ramassé les évaluations pour les corriger.",
                    "Vous ne pouvez plus changer ni renvoyer vos réponses.",
                ],
            }
        if not is_released(self.project, self.module):
            return {
                "kind": "error",
                "title": "L'évaluation n'est pas encore ouverte",
                "lines": [
                    "Vos réponses sont bien enregistrées sur cet ordinateur.",
                    "Vous pourrez les envoyer quand la personne qui anime l'atelier aura ouvert "
                    "l'évaluation. Prévenez-la.",
                ],
            }
        return None

    def review(self) -> dict:
        refusal = self.refused()
        if refusal:
            return refusal
        summary = self.session.summary()
        number = {q.id: i for i, q in enumerate(self.module.questions, 1)}
        total = len(self.module.questions)
        answered = [number[q] for q in summary.answered]
        empty = [number[q] for q in summary.empty]
        if not answered:
            lines: list[str | dict] = [
                f"Vous n'avez encore répondu à aucune des {total} questions."
            ]
        else:
            lines = [
                f"Vous avez répondu à {len(answered)} question{'s' * (len(answered) > 1)} "
                f"sur {total}.",
                f"{_plural('Question', answered)} avec une réponse : {_numbers(answered)}.",
            ]
        if empty:
            # Each number is a link to its question (page.js draws `questions` as links).
            ids = {i: q.id for i, q in enumerate(self.module.questions, 1)}
            lines.append(
                {
                    "text": f"{_plural('Question', empty)} sans réponse : ",
                    "questions": [[n, ids[n]] for n in empty],
                }
            )
            lines.append("Vous pouvez revenir en arrière pour y répondre, ou envoyer quand même.")
        else:
            lines.append("Vous avez répondu à toutes les questions.")
        if self.session.store.submitted:
            lines.append(
                f"Vous avez déjà envoyé vos réponses le {_time(self.session.store.submitted)}. "
                "Si vous envoyez de nouveau, c'est cette nouvelle version qui sera corrigée."
            )
        lines.append("Voulez-vous envoyer vos réponses maintenant ?")
        return {"kind": "review", "title": "Avant d'envoyer", "lines": lines}

    def send(self) -> dict:
        refusal = self.refused()
        if refusal:
            return refusal
        try:
            stamp = self.session.submit()
        except WorkflowError as exc:
            return {"kind": "error", "title": "L'envoi n'a pas marché", "lines": [str(exc)]}
        # The submission stamped the answers file through its own reader: read it again, so
        # the next answer does not write the old (unsent) state back.
        self.session.store = AnswerStore(self.session.store.path)
        return {
            "kind": "sent",
            "title": "C'est envoyé. Merci.",
            "lines": [
                f"Vos réponses ont été envoyées le {_time(stamp)}.",
                "La personne qui anime l'atelier va les corriger.",
                "Vous pouvez encore changer vos réponses et les renvoyer, tant qu'elle ne les a "
                "pas ramassées.",
            ],
        }
