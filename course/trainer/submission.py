"""The learner's side of the exchange: is the evaluation open, was it collected, and sending it.

The one module of the trainer's side that learner pages may import (`tests/test_layers.py`):
nbgrader and nbformat are imported only when a learner actually sends, never to draw a page.
Sending goes through the exchange nbgrader is configured with (`ExchangeFactory`), so an
exchange set in `nbgrader_config.py` is the one used.
"""

from __future__ import annotations

from course.answers.store import ANSWERS_FILE, AnswerStore
from course.content.catalogue import Module
from course.content.notebooks import EVALUATION_NOTEBOOK, fill_free_text, write_notebook
from course.settings import Project
from course.trainer.nbgrader_setup import (
    WorkflowError,
    ensure_exchange,
    ensure_tools_on_path,
    nbgrader_config,
    outbound_dir,
)

__all__ = ["WorkflowError", "is_collected", "is_released", "submit"]


def is_released(project: Project, module: Module) -> bool:
    return (outbound_dir(project, module.id) / EVALUATION_NOTEBOOK).is_file()


def is_collected(project: Project, module: Module, learner_id: str) -> bool:
    """The trainer collected this learner's evaluation: their answers can no longer change."""
    return project.layout.path("submitted", learner_id, module.id).is_dir()


def submit(project: Project, module: Module, learner_id: str) -> str:
    """Send a learner's evaluation through nbgrader's exchange; return the timestamp.

    The learner's folder gets a fresh copy of the released notebook with their free-text answers
    written into the manually graded cells, next to their answers file; nbgrader copies both.
    """
    workspace = project.workspace(learner_id, module.id)  # refuses an unsafe id first
    if not is_released(project, module):
        raise WorkflowError(
            "L'évaluation n'est pas encore ouverte. Prévenez la personne qui anime l'atelier."
        )
    if is_collected(project, module, learner_id):
        raise WorkflowError(
            "Vos réponses ont déjà été ramassées pour la correction. "
            "Vous ne pouvez plus les changer."
        )
    import nbformat  # here, not at the top: learner pages import this module
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeFactory
    from nbgrader.exchange.abc import ExchangeError

    store = AnswerStore(workspace / ANSWERS_FILE)
    nb = nbformat.read(outbound_dir(project, module.id) / EVALUATION_NOTEBOOK, as_version=4)
    fill_free_text(nb, store.answers)
    write_notebook(nb, workspace / EVALUATION_NOTEBOOK)

    ensure_tools_on_path()
    config = nbgrader_config(project)
    config.CourseDirectory.student_id = learner_id
    config.CourseDirectory.assignment_id = module.id
    ensure_exchange(project)
    coursedir = CourseDirectory(config=config)
    factory = ExchangeFactory(config=config)
    app = factory.Submit(
        coursedir=coursedir, authenticator=Authenticator(config=config), config=config
    )
    app.assignment_dir = str(workspace.parent)
    try:
        app.start()
    except ExchangeError as exc:
        raise WorkflowError("L'envoi n'a pas marché. Vos réponses sont bien gardées.") from exc
    return store.mark_submitted()
