"""Page layouts for the learner apps, built from ipywidgets and our accessible controls.

Every page first finds out who the learner is (a signed personal link, or a first name and code
typed in a form) and only then reads or writes that learner's files.

The forms and buttons a learner uses are plain HTML controls drawn by small anywidgets
(`course/static/page.js`, `course/static/question.js`): real labels, real buttons with text, a
confirmation panel that takes the focus. ipywidgets only lay the page out and show text.
"""

from __future__ import annotations

import html
import os
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs

import anywidget
import ipywidgets as w
import traitlets
from IPython.display import display

from course.answers.store import AnswerStore
from course.content.catalogue import TOOLS, Module
from course.identity import TOKEN_PARAM, Learner, Roster, SignInError
from course.learner.session import LearnerSession
from course.learner.voila_query import get_query_string
from course.learner.widgets import make_question, markdown_html
from course.settings import Project
from course.trainer.workflow import WorkflowError, is_released

FULL_WIDTH = w.Layout(width="100%")
STATIC = Path(__file__).parent / "static"

PAGE_ERROR = (
    "<div class='cq-page-error' role='alert'><h1>Cette page ne s'affiche pas</h1>"
    "<p>Un problème est arrivé sur l'ordinateur de l'atelier. Vos réponses déjà enregistrées "
    "sont gardées.</p><p>Appuyez sur la touche F5 pour recharger la page. Si le problème "
    "continue, prévenez la personne qui anime l'atelier.</p>"
    "<p><a class='cq-link' href='../index.ipynb'>Retour à la liste des modules</a></p></div>"
)


def _html(markup: str, cls: str = "") -> w.HTML:
    widget = w.HTML(markup, layout=FULL_WIDTH)
    if cls:
        widget.add_class(cls)
    return widget


def _button(text: str, primary: bool = True) -> w.Button:
    """An ipywidgets button with our look (text name, large, AA contrast); pages of other
    apps use it. Our own pages draw their buttons in `page.js`."""
    button = w.Button(description=text, layout=w.Layout(width="auto", height="auto"))
    button.add_class("cq-page-button" if primary else "cq-page-button-secondary")
    return button


def _query_string() -> str:
    try:
        return get_query_string()
    except Exception:  # outside Voilà (e.g. JupyterLab) there is no query-string channel
        return os.environ.get("QUERY_STRING", "")


def _token_in(query: str) -> str | None:
    """The `cle` of a query string; "" for `?cle=` (refused like any bad link), None if absent."""
    values = parse_qs(query or "", keep_blank_values=True).get(TOKEN_PARAM)
    return values[0] if values else None


# Starts every error report a page writes to the kernel's stderr, so `course check` tells a
# page's failure from the kernel's own notices (ipykernel logs ZMQ tracebacks at shutdown).
PAGE_ERROR_MARK = "course: page error"


def log_page_error(what: str = "") -> None:
    """Tell the trainer's terminal (the kernel's stderr is Voilà's log, never the page)."""
    print(f"{PAGE_ERROR_MARK}{': ' + what if what else ''}", file=sys.__stderr__)
    traceback.print_exc(file=sys.__stderr__)


class _PageControl(anywidget.AnyWidget):
    _esm = STATIC / "page.js"
    _css = STATIC / "question.css"
    kind = traitlets.Unicode("").tag(sync=True)


class SignInWidget(_PageControl):
    """A form with a labelled first-name field, a labelled code field and an "Entrer" button.

    The code travels in one message to the kernel and is never kept in the widget's state."""

    kind = traitlets.Unicode("signin").tag(sync=True)
    message = traitlets.Dict().tag(sync=True)

    def __init__(self, roster: Roster, on_success: Callable[[Learner], None], **kwargs):
        super().__init__(**kwargs)
        self.roster = roster
        self.on_success = on_success
        self.on_msg(self._on_message)

    def _on_message(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict) or content.get("event") != "sign-in":
            return
        name, code = content.get("name"), content.get("code")
        if not isinstance(name, str) or not isinstance(code, str):
            return
        try:
            learner = self.roster.sign_in(name[:100], code[:40])
        except SignInError as exc:
            self.say(str(exc))
            return
        except Exception:  # e.g. var/ not writable: say so rather than leave "Vérification…"
            log_page_error()
            self.say(
                "Votre code n'a pas pu être vérifié sur cet ordinateur. "
                "Prévenez la personne qui anime l'atelier."
            )
            return
        self.on_success(learner)

    def say(self, text: str) -> None:
        # `n` changes every time, so the same message twice still reaches the browser.
        self.message = {"text": text, "n": self.message.get("n", 0) + 1}


class SignedInWidget(_PageControl):
    """Invisible: puts the personal link in the address bar and moves the focus to the h1."""

    kind = traitlets.Unicode("signed-in").tag(sync=True)
    token = traitlets.Unicode("").tag(sync=True)


class SubmitWidget(_PageControl):
    """ "Envoyer mes réponses", then a panel that takes the focus: what is answered, what is
    still empty, a question, the confirmation or the refusal, all in plain French."""

    kind = traitlets.Unicode("submit").tag(sync=True)
    panel = traitlets.Dict().tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)

    def __init__(self, review: Callable[[], dict], send: Callable[[], dict], **kwargs):
        super().__init__(**kwargs)
        # (not `_send`: ipywidgets' own method has that name)
        self.review_callback = review
        self.send_callback = send
        self.on_msg(self._on_message)

    def _on_message(self, _widget, content, _buffers) -> None:
        event = content.get("event") if isinstance(content, dict) else None
        actions = {"review": self.review_callback, "send": self.send_callback, "cancel": dict}
        if event not in actions:
            return
        try:
            panel = actions[event]()
        except Exception:
            log_page_error()
            panel = {
                "kind": "error",
                "title": "Un problème est arrivé",
                "lines": [
                    "Vos réponses sont bien gardées sur cet ordinateur, mais rien n'a été envoyé.",
                    "Prévenez la personne qui anime l'atelier.",
                ],
            }
        # A counter, so that the same panel shown twice still reaches the page (and the focus).
        self.panel = {**panel, "n": self.panel.get("n", 0) + 1}


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
            self._show()
        except Exception:
            log_page_error()
            self.root.children = [_html(PAGE_ERROR)]

    def _show(self) -> None:
        token = _token_in(_query_string())
        if token is not None:
            try:
                self.learner = self.roster.from_token(token)
            except SignInError as exc:
                self.root.children = [
                    self.heading(),
                    _html(f"<p role='alert' class='cq-refused'>{html.escape(str(exc))}</p>"),
                    _html(
                        "<p>Vérifiez que vous avez ouvert votre propre lien, ou entrez votre "
                        "prénom et votre code ci-dessous.</p>"
                    ),
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

    def tool_links(self, module: Module, prefix: str) -> str:
        """Links to the extra apps a module offers (e.g. the CV builder); `prefix` is its folder."""
        return "".join(
            f"<p><a class='cq-link' href='{self.link(f'{prefix}{name}.ipynb')}'>"
            f"{html.escape(TOOLS[name].link)}</a></p>"
            for name in module.tools
        )

    def ask_sign_in(self) -> None:
        self.root.children = [*self.root.children, SignInWidget(self.roster, self.signed_in)]

    def signed_in(self, learner: Learner) -> None:
        self.learner = learner
        self.token = self.roster.token(learner.id)
        try:
            self.render()
        except Exception:
            log_page_error()
            self.root.children = [_html(PAGE_ERROR)]
            return
        self.root.children = [*self.root.children, SignedInWidget(token=self.token)]


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


class ModulePage(Page):
    def __init__(self, module_id: str):
        super().__init__()
        self.module_id = module_id
        self.module: Module | None = None

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
                    )
                )
        items.append(
            _html(
                "<h2>À retenir</h2><p>Vous avez fini la leçon. Bravo. Quand vous êtes prêt, "
                f"faites l'évaluation.</p><p><a class='cq-link' href='{self.link('evaluation.ipynb')}'>"
                "Faire l'évaluation</a></p>" + self.tool_links(self.module, "") + self.back_link()
            )
        )
        self.root.children = items
        if not session:
            self.ask_sign_in()

    def practice(self, question_id: str, value) -> None:
        # As for the evaluation: another tab may have written the file since this page opened.
        self.session.lesson_store = AnswerStore(self.session.lesson_store.path)
        self.session.practice(question_id, value)


def _time(stamp: str | None) -> str:
    """ "14 h 05" from an ISO timestamp (local time), or "" when unknown."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return ""
    return f"{moment:%d/%m/%Y} à {moment.hour} h {moment.minute:02d}"


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
        return (self.project.course_dir / "submitted" / self.learner.id / self.module.id).is_dir()

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
        collected = self.collected
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
        if self.module.evaluation_intro:
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
            )
            widget.disabled = collected
            self.questions.append(widget)
            items.append(widget)
        self.submit = SubmitWidget(self.review, self.send, disabled=collected)
        items += [self.submit, _html(self.back_link())]
        self.root.children = items

    def answer(self, question_id: str, value) -> None:
        # Read the file again first: the same learner may have this evaluation open in another
        # tab or on another computer, and each page must add to the file, not overwrite it.
        self.session.store = AnswerStore(self.session.store.path)
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
            lines = [f"Vous n'avez encore répondu à aucune des {total} questions."]
        else:
            lines = [
                f"Vous avez répondu à {len(answered)} question{'s' * (len(answered) > 1)} "
                f"sur {total}.",
                f"{_plural('Question', answered)} avec une réponse : {_numbers(answered)}.",
            ]
        if empty:
            lines.append(f"{_plural('Question', empty)} sans réponse : {_numbers(empty)}.")
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
