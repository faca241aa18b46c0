"""Accessible question widgets (anywidget): real radios, checkboxes and labelled text fields.

ipywidgets' RadioButtons have no radiogroup and no link to the question (docs/architecture.md, « Accessibility of ipywidgets »), so
each question is one small custom widget: a fieldset whose legend is the question. The widget
state holds the public question and the learner's answer only. Checking a practice answer
happens in the kernel, on a message from the browser, so the key never leaves the server.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import anywidget
import traitlets

from course.answers.answer_rules import AnswerRefused
from course.answers.kinds.choices import display_order
from course.answers.store import Answer, clean_answer, is_empty
from course.content.catalogue import Question
from course.core.french import clock, markdown_html
from course.learner.assets import esm, stylesheet


class QuestionWidget(anywidget.AnyWidget):
    # A stub loading static/question.js once per page under our Voilà (course.learner.assets).
    _esm = esm("question", "question.css")
    _css = stylesheet("question.css")

    spec = traitlets.Dict().tag(sync=True)
    number_label = traitlets.Unicode("").tag(sync=True)
    mode = traitlets.Unicode("evaluation").tag(sync=True)
    value = traitlets.Any(None, allow_none=True).tag(sync=True)
    feedback = traitlets.Dict().tag(sync=True)
    saved = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    # The browser numbers each change (`seq`); the kernel echoes the number once the answer is
    # on disk (`ack`). Until then the page keeps the answer in sessionStorage under `store_key`
    # (learner, module, page), so a connection cut or a reload cannot lose it.
    seq = traitlets.Int(0).tag(sync=True)
    ack = traitlets.Int(0).tag(sync=True)
    store_key = traitlets.Unicode("").tag(sync=True)


# The Markdown texts of a simulation's scene (a message's body, a site's page, a document),
# rendered here as the rest of the module's texts are: the browser gets `<key>_html`.
SCENE_MARKDOWN = ("body", "page", "document")


def _scene_html(value: Any) -> Any:
    if isinstance(value, list):
        return [_scene_html(v) for v in value]
    if isinstance(value, dict):
        out = {k: _scene_html(v) for k, v in value.items()}
        for key in SCENE_MARKDOWN:
            if isinstance(value.get(key), str):
                out[key + "_html"] = markdown_html(value[key]) if value[key] else ""
                del out[key]
        return out
    return value


def public_spec(question: Question, learner: str = "") -> dict:
    """What the browser receives: the public question, its texts as HTML, and `order`, the
    positions of its choices in the order drawn for `learner` (`display_order`)."""
    spec = question.public()
    spec["order"] = display_order(question.id, len(question.choices), learner)
    spec["context_html"] = markdown_html(question.context) if question.context else ""
    spec["details_html"] = [markdown_html(d) for d in question.details]
    spec["scene"] = _scene_html(spec["scene"])
    del spec["context"], spec["details"]
    return spec


def saved_message() -> str:
    return f"Réponse enregistrée à {clock(datetime.now(UTC))}."


def practice_feedback(question: Question, value: object) -> dict:
    """What « Vérifier ma réponse » says about `value` in a lesson (also shown again when the
    learner reopens the lesson)."""
    answer = clean_answer(value)
    if is_empty(answer):
        return {
            "status": "empty",
            "title": "Vous n'avez pas encore répondu.",
            "text": "Choisissez ou écrivez une réponse, puis appuyez sur « Vérifier ».",
        }
    if not question.autograded:
        # A person will read it: thanks, and the explanation.
        return {"status": "right", "title": "Merci.", "text": question.explanation}
    lines = question.kind.feedback_lines(question, answer)
    if question.kind.is_correct(question.key()["answer"], answer):
        title, status = "✔ Bravo, c'est juste.", "right"
    else:
        title, status = "✘ Pas tout à fait.", "wrong"
    return {"status": status, "title": title, "text": question.explanation, "lines": lines}


def make_question(
    question: Question,
    *,
    number_label: str = "",
    mode: str = "evaluation",
    initial: Answer | None = None,
    on_answer: Callable[[str, object], None] | None = None,
    store_key: str = "",
    learner: str = "",
) -> QuestionWidget:
    """A widget for `question`, restored to `initial`, reporting each change to `on_answer`.

    `on_answer` checks and persists the answer; the widget says "enregistrée" only after it
    returned, so the learner is never told an answer is safe when it is not, and shows the
    French reason when it raised AnswerRefused.
    """
    widget = QuestionWidget(
        spec=public_spec(question, learner),
        number_label=number_label,
        mode=mode,
        value=initial,
        store_key=store_key if on_answer is not None else "",
    )
    last: dict = {}
    if on_answer is not None and not is_empty(clean_answer(initial)):
        widget.saved = "Réponse enregistrée."  # a page reopened: this answer is already safe

    def changed(_change=None):
        value = widget.value  # as the browser sent it: `on_answer` checks it
        if on_answer is None:
            return
        if last.get("value") == value and last.get("seq") == widget.seq:
            return  # `value` and `seq` arrive together: one write is enough
        try:
            on_answer(question.id, value)
        except AnswerRefused as exc:
            # Not stored, and said so in French; acknowledged, so the page stops resending it.
            last.update(value=value, seq=widget.seq)
            widget.saved = str(exc)
            widget.ack = widget.seq
            return
        except OSError:
            widget.saved = (
                "Attention : votre réponse n'a pas pu être enregistrée. Prévenez l'animateur."
            )
            return
        last.update(value=value, seq=widget.seq)
        widget.saved = saved_message()
        widget.ack = widget.seq
        if mode == "practice" and clean_answer(value) != last.get("checked"):
            widget.feedback = {}  # a new answer: the feedback was about another one

    widget.observe(changed, names=["value", "seq"])

    if mode == "practice":
        if not is_empty(clean_answer(initial)):
            # A lesson reopened: the answers given come back with their feedback.
            widget.feedback = practice_feedback(question, initial)

        def on_message(_widget, content, _buffers):
            if not isinstance(content, dict) or content.get("event") != "check":
                return
            answer = clean_answer(widget.value)
            sent = clean_answer(content.get("value"))
            if sent is not None and sent != answer:
                # The page's answer, ahead of its held-back state update, if it may be one.
                try:
                    answer = question.kind.check_answer(question, sent)
                except AnswerRefused:
                    pass
            last["checked"] = answer
            widget.feedback = practice_feedback(question, answer)

        widget.on_msg(on_message)
    return widget


class ListenWidget(anywidget.AnyWidget):
    """« Écouter » for the whole page (`static/listen.js`): one per page, it adds a toolbar to
    every lesson step, question and explanation, as they appear. Nothing is synced: the browser
    reads what it shows, with the device's French voice or our server's (`course.server.listen`).
    """

    _esm = esm("listen", "listen.css")
    _css = stylesheet("listen.css")
