"""The learner's path, in process: a lesson reopened shows the feedback of the exercises already
answered and says they are saved; `course serve` puts today's workshop's module (from the
workshops book, today in Paris) first without being told."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from course.core import french
from course.learner.session import LearnerSession
from course.learner.widgets import make_question, practice_feedback
from course.server.today import todays_module


@pytest.fixture
def lesson(essai_project):
    learner, _ = essai_project.roster().add("Alice")
    session = LearnerSession(essai_project, essai_project.catalogue.get("essai"), learner.id)
    return session, session.module.practice_questions[0]


def test_a_reopened_exercise_shows_its_feedback_and_is_saved(lesson):
    session, question = lesson
    right = question.model_answer()
    widget = make_question(question, mode="practice", initial=right, on_answer=session.practice)
    assert widget.feedback["status"] == "right" and "Bravo" in widget.feedback["title"]
    assert widget.feedback["text"] == question.explanation
    assert widget.saved == "Réponse enregistrée."
    wrong = next(c for c in question.choices if c != right)
    widget = make_question(question, mode="practice", initial=wrong, on_answer=session.practice)
    assert widget.feedback["title"] == "✘ Pas tout à fait."
    assert widget.feedback == practice_feedback(question, wrong)  # what « Vérifier » says


def test_an_unanswered_exercise_and_an_evaluation_show_no_verdict(lesson):
    session, question = lesson
    fresh = make_question(question, mode="practice", on_answer=session.practice)
    assert fresh.feedback == {} and fresh.saved == ""
    graded = session.module.questions[0]
    evaluation = make_question(graded, initial=graded.model_answer(), on_answer=session.answer)
    assert evaluation.feedback == {}  # the evaluation never tells right from wrong
    assert evaluation.saved == "Réponse enregistrée."
    unsigned = make_question(question, mode="practice", initial=question.model_answer())
    assert unsigned.saved == ""  # nothing is saved for a visitor who did not sign in


def test_todays_module_comes_from_the_workshops_book(essai_project):
    assert todays_module(essai_project) is None  # no workshop at all
    book = essai_project.workshops()
    today = french.today()
    book.create("Hier", today - timedelta(days=1), ["essai"])
    assert todays_module(essai_project) is None  # not today's
    book.create("Un module retiré", today, ["retire"], start=time(0, 0))
    assert todays_module(essai_project) is None  # no module of the catalogue
    book.create("Aujourd'hui", today, ["retire", "essai"], start=time(23, 59))
    book.close()
    module = todays_module(essai_project)
    assert module is not None and module.id == "essai"
