"""The bad-input corpus through the widget's own message path (what a comm `update` from the
browser does in the kernel): oversized, wrong-typed and forged answers are never stored, the
learner reads why in French, and the page is told the message arrived (no endless resending)."""

from __future__ import annotations

import re

import pytest

from course.answers.answer_rules import SHORT_LIMIT, WRITTEN_LIMIT
from course.learner.session import LearnerSession
from course.learner.widgets import make_question

CORPUS = {
    "eval-couleur": ["Violet", ["Bleu"], {"choix": "Bleu"}, 2, None, True],
    "eval-fruits": ["Pomme", ["Pomme", "Tomate"], ["Pomme", "Pomme"], [["Pomme"]], [3]],
    "eval-nombre": ["7" * (SHORT_LIMIT + 1), ["7"], 7, {"x": "7"}],
    "eval-ville-pays": [["Paris"], ["Paris", "France", "Europe"], "Paris", ["Paris", 1]],
    "eval-message": ["a" * (WRITTEN_LIMIT + 1), ["a"], 12.5, None, "a" * 1_000_000],
    "eval-boite": [["inconnu=fiable"], ["colis=poubelle"], "colis=fiable", [["colis=fiable"]]],
    "eval-site": ["ailleurs", ["officiel"], 1],
    "eval-discussion": [["Encore ?"], "Oui, avec plaisir !", [1]],
    "eval-formulaire": [["Martin"], ["Martin", "Lyon", "Paris"], ["M" * (SHORT_LIMIT + 1), "L"]],
    "eval-etapes": [["Se lever"], ["Se lever", "Se laver", "Dormir"], "Se lever"],
}


def browser_update(widget, **state) -> None:
    """What ipywidgets does with a comm message {method: update} sent by the page."""
    widget._handle_msg({"content": {"data": {"method": "update", "state": state}}})


@pytest.fixture
def session(essai_project):
    learner, _ = essai_project.roster().add("Alice")
    return LearnerSession(essai_project, essai_project.catalogue.get("essai"), learner.id)


@pytest.mark.parametrize("question_id", sorted(CORPUS))
def test_bad_answers_are_refused_in_french_and_not_stored(session, question_id):
    q = next(q for q in session.module.questions if q.id == question_id)
    widget = make_question(q, on_answer=session.answer, store_key="alice:essai:evaluation")
    for seq, value in enumerate(CORPUS[question_id], 1):
        browser_update(widget, value=value, seq=seq)
        assert widget.ack == seq, value
        assert "enregistrée" not in widget.saved, value
        assert any(
            words in widget.saved
            for words in (
                "ne fait pas partie des choix",
                "trop longue",
                "avec du texte",
                "case",
                "Rechargez la page",  # a simulation's message or step that does not exist
                "Choisissez ce que vous faites",
                "Choisissez dans la liste",
            )
        ), (value, widget.saved)
    assert not session.store.path.exists()
    browser_update(widget, value=q.model_answer() if q.autograded else "Bonjour.", seq=99)
    assert re.fullmatch(r"Réponse enregistrée à (1?\d|2[0-3]) h [0-5]\d\.", widget.saved)  # 9 h 05
    assert list(
        LearnerSession(session.project, session.module, session.learner_id).store.answers
    ) == [q.id]


def test_practice_check_judges_the_answer_sent_with_it(session):
    """ipywidgets may hold the last state update back while the kernel is busy; « Vérifier »
    carries the page's answer, and the late update does not wipe the feedback it earned."""
    q = session.module.question("eval-boite")
    widget = make_question(q, mode="practice", on_answer=session.answer)
    widget._handle_custom_msg({"event": "check", "value": q.model_answer()}, [])
    assert widget.feedback["status"] == "right" and widget.feedback["lines"][0].startswith("✔")
    browser_update(widget, value=q.model_answer(), seq=1)  # the held-back update, late
    assert widget.feedback["status"] == "right"
    browser_update(widget, value=["colis=fiable"], seq=2)  # a new answer: feedback cleared
    assert widget.feedback == {}
    widget._handle_custom_msg({"event": "check", "value": ["inconnu=fiable"]}, [])  # forged
    assert widget.feedback["status"] == "wrong"  # judged on the stored answer, not the forgery
