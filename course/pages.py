"""Page layouts for the learner apps, built from ipywidgets and our accessible questions.

Every page first finds out who the learner is (a signed personal link, or a first name and code
typed in a form) and only then reads or writes that learner's files.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable

import ipywidgets as w
from IPython.display import display

from course.catalogue import Module
from course.identity import TOKEN_PARAM, Learner, Roster, SignInError
from course.session import LearnerSession
from course.settings import Project
from course.widgets import make_question, markdown_html
from course.workflow import WorkflowError

FULL_WIDTH = w.Layout(width="100%")


def _html(markup: str, cls: str = "") -> w.HTML:
    widget = w.HTML(markup, layout=FULL_WIDTH)
    if cls:
        widget.add_class(cls)
    return widget


def _button(text: str, primary: bool = True) -> w.Button:
    button = w.Button(description=text, layout=w.Layout(width="auto", height="auto"))
    button.add_class("cq-page-button" if primary else "cq-page-button-secondary")
    return button


def _query_string() -> str:
    try:
        from voila.utils import get_query_string

        return get_query_string() or ""
    except Exception:  # outside Voilà (e.g. JupyterLab) there is no query-string channel
        return os.environ.get("QUERY_STRING", "")


class Page:
    def __init__(self):
        self.project = Project()
        self.roster = Roster(self.project.data_dir)
        self.root = w.VBox(layout=FULL_WIDTH)
        self.root.add_class("cq-page")
        self.learner: Learner | None = None
        self.token = ""

    def show(self) -> None:
        display(self.root)
        try:
            self.learner = self.roster.from_query(_query_string())
        except SignInError as exc:
            self.root.children = [
                self.heading(),
                _html(f"<p role='alert'>{html.escape(str(exc))}</p>"),
            ]
            self.ask_sign_in()
            return
        if self.learner:
            self.token = self.roster.token(self.learner.id)
            self.render()
        elif self.needs_learner:
            self.root.children = [self.heading()]
            self.ask_sign_in()
        else:
            self.render()

    needs_learner = True

    def heading(self) -> w.HTML:
        raise NotImplementedError

    def render(self) -> None:
        raise NotImplementedError

    def link(self, path: str) -> str:
        return f"{path}?{TOKEN_PARAM}={self.token}" if self.token else path

    def ask_sign_in(self) -> None:
        self.root.children = [*self.root.children, SignInForm(self.roster, self.signed_in).box]

    def signed_in(self, learner: Learner) -> None:
        self.learner = learner
        self.token = self.roster.token(learner.id)
        self.render()


class SignInForm:
    def __init__(self, roster: Roster, on_success: Callable[[Learner], None]):
        self.roster = roster
        self.on_success = on_success
        style = {"description_width": "initial"}
        self.name = w.Text(description="Votre prénom", style=style)
        self.code = w.Text(description="Votre code (sur votre carte)", style=style)
        self.message = _html("", "cq-message")
        button = _button("Entrer")
        button.on_click(self.submit)
        self.box = w.VBox(
            [
                _html(
                    "<h2>Bonjour. Qui êtes-vous ?</h2><p>Écrivez votre prénom et le code "
                    "donné par la personne qui anime l'atelier.</p>"
                ),
                self.name,
                self.code,
                button,
                self.message,
            ]
        )
        self.box.add_class("cq-signin")

    def submit(self, _button=None) -> None:
        try:
            learner = self.roster.sign_in(self.name.value, self.code.value)
        except SignInError as exc:
            self.message.value = f"<p role='alert'>{html.escape(str(exc))}</p>"
            return
        self.message.value = ""
        self.on_success(learner)


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
                f"Faire l'évaluation « {html.escape(m.title)} »</a></p></li>"
            )
        items.append(_html(f"<ul class='cq-cards'>{''.join(cards)}</ul>"))
        self.root.children = items
        if not self.learner:
            self.ask_sign_in()


class ModulePage(Page):
    def __init__(self, module_id: str):
        super().__init__()
        self.module: Module = self.project.catalogue.get(module_id)

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
        items = [self.heading()]
        if not session:
            items.append(
                _html("<p>Vous n'êtes pas connecté : vos réponses ne seront pas gardées.</p>")
            )
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
                        on_answer=session.practice if session else None,
                    )
                )
        items.append(
            _html(
                "<h2>À retenir</h2><p>Vous avez fini la leçon. Bravo. Quand vous êtes prêt, "
                f"faites l'évaluation.</p><p><a class='cq-link' href='{self.link('evaluation.ipynb')}'>"
                "Faire l'évaluation</a></p>" + self.back_link()
            )
        )
        self.root.children = items


class EvaluationPage(ModulePage):
    def heading(self) -> w.HTML:
        return _html(f"<h1>Évaluation : {html.escape(self.module.title)}</h1>")

    def render(self) -> None:
        self.session = LearnerSession(self.project, self.module, self.learner.id)
        answers = self.session.store.answers
        items = [self.heading(), _html(f"<p>Bonjour {html.escape(self.learner.name)}.</p>")]
        if self.session.store.recovered_from:
            items.append(
                _html(
                    "<p role='alert'>Vos réponses précédentes étaient abîmées. "
                    "Elles ont été mises de côté pour l'animateur.</p>"
                )
            )
        if self.module.evaluation_intro:
            items.append(_html(markdown_html(self.module.evaluation_intro), "cq-text-block"))
        total = len(self.module.questions)
        self.questions = []
        for i, q in enumerate(self.module.questions, 1):
            widget = make_question(
                q,
                number_label=f"Question {i} sur {total}",
                initial=answers.get(q.id),
                on_answer=self.session.answer,
            )
            self.questions.append(widget)
            items.append(widget)
        self.send_button = _button("Envoyer mes réponses")
        self.send_button.on_click(self.review)
        self.panel = w.VBox()
        self.panel.add_class("cq-submit-panel")
        items += [self.send_button, self.panel, _html(self.back_link())]
        self.root.children = items

    def review(self, _button=None) -> None:
        summary = self.session.summary()
        titles = {q.id: i for i, q in enumerate(self.module.questions, 1)}
        text = f"<h2>Avant d'envoyer</h2><p>Vous avez répondu à {len(summary.answered)} questions sur {len(self.module.questions)}.</p>"
        if summary.empty:
            numbers = ", ".join(str(titles[q]) for q in summary.empty)
            text += f"<p>Questions sans réponse : {numbers}.</p>"
        text += "<p>Voulez-vous envoyer vos réponses maintenant ?</p>"
        yes, no = _button("Oui, j'envoie"), _button("Non, je continue", primary=False)
        yes.on_click(self.send)
        no.on_click(lambda _b: setattr(self.panel, "children", []))
        self.panel.children = [_html(text), w.HBox([yes, no])]

    def send(self, _button=None) -> None:
        try:
            self.session.submit()
        except WorkflowError as exc:
            self.panel.children = [_html(f"<p role='alert'>{html.escape(str(exc))}</p>")]
            return
        self.panel.children = [
            _html(
                "<p role='status'><strong>✔ C'est envoyé. Merci.</strong> La personne qui anime "
                "l'atelier va corriger vos réponses. Vous pouvez encore les changer et "
                "renvoyer, tant qu'elle ne les a pas ramassées.</p>"
            )
        ]
