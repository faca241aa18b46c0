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


def test_a_workshop_made_after_the_server_started_comes_first_on_the_home_page(
    trainer, essai_project, monkeypatch
):
    """A server that runs for days (a hub's site service) started before today's workshop
    existed: once the trainer creates it in her space, the home page shows its module first
    (`course.core.todays_module`), and yesterday's note is not today's."""
    from datetime import date

    from support.spaces import workshop_form

    from course.core.todays_module import read_todays_module, write_todays_module
    from course.learner.pages import CataloguePage
    from course.settings import ROOT_ENV, WORKSHOP_ENV

    monkeypatch.setenv(ROOT_ENV, str(essai_project.root))
    monkeypatch.delenv(WORKSHOP_ENV, raising=False)  # the server found no workshop at start
    badge = "Le module de l'atelier d'aujourd'hui"

    def home_text() -> str:
        page = CataloguePage()
        page.show()
        return " ".join(getattr(child, "value", "") for child in page.root.children)

    assert badge not in home_text()
    made = trainer.post("", workshop_form())  # today, the essai module
    assert made.status == 303, made.text
    assert read_todays_module(essai_project.data_dir, french.today()) == "essai"
    assert badge in home_text()
    write_todays_module(essai_project.data_dir, date(2020, 1, 1), "essai")  # an old note
    assert read_todays_module(essai_project.data_dir, french.today()) is None
    assert badge not in home_text()


def test_the_lesson_end_counts_its_exercises_in_french(lesson):
    from dataclasses import replace

    from course.learner.pages.lesson import LessonPage

    session, question = lesson
    page = LessonPage(session.module.id)
    page.module = session.module
    assert len(session.module.practice_questions) == 1  # the test module's lesson
    right = question.model_answer()
    assert "Vous avez fait l'exercice. Bravo." in page.end_html({question.id: right})
    step = next(s for s in session.module.lesson if s.question is question)
    other = replace(question, id=question.id + "-bis")
    page.module = replace(session.module, lesson=[step, replace(step, question=other)])
    assert "Vous avez fait 1 exercice sur 2." in page.end_html({question.id: right})
    both = {question.id: right, other.id: right}
    assert "Vous avez fait les 2 exercices. Bravo." in page.end_html(both)
