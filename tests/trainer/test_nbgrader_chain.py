"""The real nbgrader chain: release, learners answer through the widgets' API, submit, collect,
autograde, export, feedback. Every question's score is asserted."""

from __future__ import annotations

import csv
import io
import json

import pytest

from course.access.roster import Roster
from course.content.catalogue import Question
from course.content.samples import sloppy
from course.content.samples import wrong as sample_wrong
from course.coordinator.export import results_sheets
from course.coordinator.records import gather
from course.coordinator.results import submissions
from course.coordinator.writers import to_csv
from course.learner.session import LearnerSession
from course.trainer.feedback import generate_feedback
from course.trainer.workflow import WorkflowError, collect, grade, release, submit

# The fixture module: one question of each type, whose content never changes under the tests.
MODULE = "essai"


WRITTEN = "Je raccroche, je ne donne jamais mon code. J'appelle ma banque. 😀 <b>é</b>"


def right(q: Question):
    return sloppy(q, WRITTEN)


def wrong(q: Question):
    return sample_wrong(q, "zzzz réponse fausse")


SCENARIOS = {
    # learner name -> function(question index, question) -> answer or None (left empty)
    "Alice": lambda i, q: right(q),
    "Bruno": lambda i, q: wrong(q),
    "Céline": lambda i, q: None,
    "Dédé 😀": lambda i, q: right(q) if i % 2 == 0 else wrong(q),
}


def expected_score(name: str, i: int, q: Question):
    answer = SCENARIOS[name](i, q)
    if q.type == "libre":
        return None if answer else 0.0  # written text waits for a person; empty scores 0
    return q.points if answer is not None and answer == right(q) else 0.0


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One full cycle shared by the read-only tests below (autograde costs ~2 s a learner)."""
    from support.project import essai_project_at

    project = essai_project_at(tmp_path_factory.mktemp("chain") / "projet")
    module = project.catalogue.get(MODULE)
    release(project, module)
    roster = Roster(project.data_dir)
    ids = {}
    for name, scenario in SCENARIOS.items():
        learner, _code = roster.add(name)
        ids[name] = learner.id
        session = LearnerSession(project, module, learner.id)
        for i, q in enumerate(module.questions):
            answer = scenario(i, q)
            if answer is not None:
                session.answer(q.id, answer)
        session.submit()
    assert sorted(collect(project, module)) == sorted(ids.values())
    report = grade(project, module)
    assert report.failed == {}
    return project, module, ids


def test_every_question_scores_exactly_as_expected(graded):
    project, module, ids = graded
    results = {s.learner_id: s for s in submissions(project, module)}
    assert set(results) == set(ids.values())
    assert {q.type for q in module.questions} == {"qcu", "qcm", "qroc", "qrocm", "libre"} | {
        "messagerie",
        "navigateur",
        "conversation",
        "formulaire",
        "etapes",
    }
    for name, learner_id in ids.items():
        sub = results[learner_id]
        for i, q in enumerate(module.questions):
            got = sub.questions[q.id]
            assert got.max_score == q.points
            assert got.score == expected_score(name, i, q), (name, q.id)
    assert results[ids["Alice"]].score == sum(q.points for q in module.questions if q.autograded)
    assert results[ids["Bruno"]].score == 0
    assert results[ids["Céline"]].score == 0
    assert results[ids["Alice"]].needs_manual_grade
    assert not results[ids["Céline"]].needs_manual_grade


def test_export_has_one_row_per_learner_with_every_question(graded):
    project, module, ids = graded
    sheet = results_sheets(gather(project), [module])[0]
    titles = [c.title for c in sheet.columns]
    prefix = f"M{module.number:02d} Q"
    first = titles.index(f"{prefix}1")
    assert titles[first : first + len(module.questions)] == [
        f"{prefix}{n}" for n in range(1, len(module.questions) + 1)
    ]
    text = to_csv(sheet)
    parsed = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(parsed) == 1 + len(ids)
    by_name = {r[5]: dict(zip(parsed[0], r, strict=True)) for r in parsed[1:]}
    alice = by_name["Alice"]
    total = sum(q.points for q in module.questions if q.autograded)
    assert alice["Points obtenus"] == f"{total:g}".replace(".", ",")
    assert alice["Correction à faire"] == "Oui"
    assert "Dédé 😀" in by_name


def test_feedback_is_french_and_shows_no_grading_code(graded):
    project, module, ids = graded
    paths = generate_feedback(project, module)
    assert len(paths) == len(ids)
    page = (project.course_dir / "feedback" / ids["Alice"] / MODULE / "evaluation.html").read_text()
    assert '<html lang="fr">' in page
    assert "Bonne réponse" in page
    assert (
        "course.answers.grade_cell" not in page
        and "HIDDEN TESTS" not in page
        and "grade(" not in page
    )
    assert "&lt;b&gt;é&lt;/b&gt;" in page  # learner text escaped, never rendered as HTML
    assert "En attente de correction" in page
    bruno = (
        project.course_dir / "feedback" / ids["Bruno"] / MODULE / "evaluation.html"
    ).read_text()
    assert "Ce n&#x27;est pas la bonne réponse" in bruno  # as the results page escapes it
    from course.core.french import markdown_html

    for q in module.questions:
        assert markdown_html(q.explanation) in bruno  # Markdown kept: lists stay lists
    released = list((project.exchange_dir / project.course_id / "feedback").glob("*.html"))
    assert len(released) == len(ids)


def test_released_notebook_has_no_answer_key(essai_project):
    project = essai_project
    module = project.catalogue.get(MODULE)
    path = release(project, module)
    text = path.read_text(encoding="utf-8")
    assert "HIDDEN TESTS" not in text and "course.answers.grade_cell" not in text
    assert '\\"answer\\"' not in text
    for q in module.questions:
        assert q.explanation[:40] not in text
    nb = json.loads(text)
    graded_ids = {
        c["metadata"]["nbgrader"]["grade_id"]
        for c in nb["cells"]
        if c["metadata"].get("nbgrader", {}).get("grade")
    }
    assert graded_ids == {q.id for q in module.questions}


def test_submission_refused_before_release_and_after_collection(essai_project):
    project = essai_project
    module = project.catalogue.get(MODULE)
    learner, _ = Roster(project.data_dir).add("Zoé")
    with pytest.raises(WorkflowError, match="pas encore ouverte"):
        submit(project, module, learner.id)
    release(project, module)
    session = LearnerSession(project, module, learner.id)
    session.answer(module.questions[0].id, module.questions[0].choices[0])
    first = session.submit()
    second = session.submit()  # submitting again is allowed until collection
    assert second >= first
    collect(project, module)
    with pytest.raises(WorkflowError, match="déjà été ramassées"):
        session.submit()


def test_session_refuses_unknown_questions_and_bad_ids(essai_project):
    project = essai_project
    from course.answers.answer_rules import AnswerRefused
    from course.core.ids import InvalidLearnerId

    module = project.catalogue.get(MODULE)
    with pytest.raises(InvalidLearnerId):
        LearnerSession(project, module, "../../etc")
    session = LearnerSession(project, module, "marie")
    with pytest.raises(KeyError):
        session.answer("not-a-question", "x")
    with pytest.raises(AnswerRefused, match="ne fait pas partie des choix"):
        session.answer(module.questions[0].id, {"x": 1})  # a QCU answer is one of its choices


def test_xlsx_export_keeps_numbers_and_names(graded, tmp_path):
    from openpyxl import load_workbook

    from course.coordinator.writers import write_xlsx

    project, module, ids = graded
    sheets = results_sheets(gather(project), [module])
    path = tmp_path / "resultats.xlsx"
    write_xlsx(path, sheets)
    sheet = load_workbook(path)["Résultats"]
    values = list(sheet.iter_rows(values_only=True))
    header = list(values[0])
    assert header == [c.title for c in sheets[0].columns]
    alice = next(r for r in values[1:] if r[header.index("Prénom")] == "Alice")
    total = sum(q.points for q in module.questions if q.autograded)
    assert alice[header.index("Points obtenus")] == total
    assert any(r[header.index("Prénom")] == "Dédé 😀" for r in values[1:])


def test_manual_grade_from_formgrader_reaches_export_and_feedback(graded, tmp_path):
    """formgrader stores a person's grade as `manual_score` in the gradebook; we read it back.
    (On a copy: the other tests read the shared project as autograde left it.)"""
    from nbgrader.api import Gradebook
    from support.project import copied

    from course.coordinator.results import gradebook_url

    shared, _module, ids = graded
    project = copied(shared.root, tmp_path / "projet")
    module = project.catalogue.get(MODULE)
    free = next(q for q in module.questions if q.type == "libre")
    with Gradebook(gradebook_url(project)) as gb:
        grade_row = gb.find_grade(free.id, "evaluation", MODULE, ids["Alice"])
        grade_row.manual_score = free.points / 2
        gb.db.commit()
    alice = next(s for s in submissions(project, module) if s.learner_id == ids["Alice"])
    assert alice.questions[free.id].score == free.points / 2
    assert not alice.needs_manual_grade
    generate_feedback(project, module)
    page = (project.course_dir / "feedback" / ids["Alice"] / MODULE / "evaluation.html").read_text()
    assert "Réponse notée" in page and "En attente de correction" not in page
