"""A learner's row on the trainer's live progress follows their copy through the whole cycle:
« Envoyée », « Ramassée », « Corrigée », « Résultats rendus », and does not lie when a learner
sends again after their results were returned (their newer copy waits, then is collected and
graded anew). Real nbgrader steps in process (`course.trainer.workflow`), the progress JSON the
page polls and the follow page itself (`support.spaces`); the page in Chromium is
test_browser_trainer_space.py's."""

from __future__ import annotations

import pytest
from browser_pages import expected_answer
from support.spaces import workshop_form

NAMES = {"helene": "Hélène", "zoe": "Zoé"}


def states(trainer) -> dict[str, str]:
    """Each learner's state as the page's poll gets it, and the same as the page draws it."""
    data = trainer.api("api/ateliers/1/suivi").json()
    polled = {row["id"]: row["state"] for row in data["learners"]}
    follow = trainer.get("ateliers/1/suivi")
    drawn = {
        lid: follow.row(name).select_one('[data-field="state"]').get_text()
        for lid, name in NAMES.items()
    }
    assert drawn == polled, (drawn, polled)
    return polled


def cycle_line(trainer) -> str:
    return str(trainer.api("api/ateliers/1/suivi").json()["cycle"]["line"])


def send_again(project, module, learner_id: str) -> None:
    """What nbgrader's own `nbgrader submit` does for a learner whose copy was collected
    already (our pages refuse it, nbgrader's tools do not): a newer sending in the exchange."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeFactory

    from course.trainer.nbgrader_setup import ensure_exchange, nbgrader_config

    config = nbgrader_config(project)
    config.CourseDirectory.student_id = learner_id
    config.CourseDirectory.assignment_id = module.id
    ensure_exchange(project)
    app = ExchangeFactory(config=config).Submit(
        coursedir=CourseDirectory(config=config),
        authenticator=Authenticator(config=config),
        config=config,
    )
    app.assignment_dir = str(project.workspace(learner_id, module.id).parent)
    app.start()


@pytest.mark.slow  # real nbgrader: release, collect, grade and feedback, twice
def test_a_row_says_graded_then_returned_and_a_second_sending_is_not_hidden(trainer, essai_project):
    from course.learner.session import LearnerSession
    from course.trainer.feedback import generate_feedback
    from course.trainer.workflow import collect, grade, release

    project, module = essai_project, essai_project.catalogue.get("essai")
    trainer.post("", workshop_form())
    for name in NAMES.values():
        trainer.post("ateliers/1", {"op": "inscrire", "name": name})
    release(project, module)
    assert states(trainer) == {"helene": "Pas encore envoyée", "zoe": "Pas encore envoyée"}
    for lid in NAMES:
        session = LearnerSession(project, module, lid)
        for q in module.questions:
            session.answer(q.id, expected_answer(q))
        session.submit()
    assert states(trainer) == {"helene": "Envoyée", "zoe": "Envoyée"}

    collect(project, module)
    assert states(trainer) == {"helene": "Ramassée", "zoe": "Ramassée"}
    assert grade(project, module).graded == ["helene", "zoe"]
    assert states(trainer) == {"helene": "Corrigée", "zoe": "Corrigée"}
    assert len(generate_feedback(project, module)) == 2
    assert states(trainer) == {"helene": "Résultats rendus", "zoe": "Résultats rendus"}
    assert cycle_line(trainer) == "Les résultats sont rendus (2 apprenants)."

    # Zoé sends again after her results were returned: her row says so, the others' stay.
    send_again(project, module, "zoe")
    assert states(trainer) == {"helene": "Résultats rendus", "zoe": "Envoyée"}
    collect(project, module)  # nbgrader takes her newer copy in place of the old one
    assert states(trainer) == {"helene": "Résultats rendus", "zoe": "Ramassée"}
    assert cycle_line(trainer) == "L'évaluation est ramassée (2 évaluations) : lancez « Corriger »."
    grade(project, module)
    assert states(trainer) == {"helene": "Résultats rendus", "zoe": "Corrigée"}
    generate_feedback(project, module)
    assert states(trainer) == {"helene": "Résultats rendus", "zoe": "Résultats rendus"}
    assert cycle_line(trainer) == "Les résultats sont rendus (2 apprenants)."
