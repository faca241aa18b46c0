"""The trainer's nbgrader cycle (release, collect, grade, feedback) and the learner's submission.

Everything goes through nbgrader's own API and exchange, configured from `nbgrader_config.py`,
so formgrader, the gradebook and our commands always agree. Failures are raised as
`WorkflowError` with a French message for the trainer and nbgrader's log attached.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from copy import deepcopy
from pathlib import Path
from typing import TYPE_CHECKING

from traitlets.config import Config

from course.catalogue import Module
from course.notebooks import (
    EVALUATION_NOTEBOOK,
    build_evaluation_notebook,
    fill_free_text,
    source_notebook_path,
    write_notebook,
)
from course.settings import Project
from course.store import ANSWERS_FILE, AnswerStore, check_learner_id

if TYPE_CHECKING:
    from course.trainer.batch_grade import BatchProgress, BatchReport

Progress = Callable[[str], None]


class WorkflowError(RuntimeError):
    """A step of the cycle failed; `str()` is French for the trainer, `log` is nbgrader's."""

    def __init__(self, message: str, log: str = ""):
        super().__init__(message)
        self.log = log


def _quiet(_: str) -> None:
    pass


def nbgrader_config(project: Project) -> Config:
    """The project's config plus what our commands need regardless of the user's file."""
    config = deepcopy(project.config)
    config.Exchange.root = str(project.exchange_dir)
    config.Exchange.cache = str(project.data_dir / "nbgrader-cache")
    config.ExchangeReleaseAssignment.force = True
    config.CollectApp.check_owner = False
    config.ClearSolutions.text_stub = "*(La réponse écrite par la personne apparaîtra ici.)*"
    return config


def ensure_exchange(project: Project) -> None:
    """Create the exchange folders nbgrader expects (it refuses to start without them)."""
    from course.trainer.permissions import secure_exchange

    secure_exchange(project)


def ensure_tools_on_path() -> None:
    """nbgrader runs `alembic` (and kernels) by name: make this environment's tools findable
    even when a trainer runs `venv/bin/course` without activating the environment."""
    bindir = str(Path(sys.executable).parent)
    paths = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in paths:
        os.environ["PATH"] = os.pathsep.join([bindir, *paths])


def api(project: Project):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    ensure_tools_on_path()
    config = nbgrader_config(project)
    ensure_exchange(project)
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def _check(result: dict, message: str) -> dict:
    if not result.get("success"):
        raise WorkflowError(message, (result.get("log") or "") + (result.get("error") or ""))
    return result


def build_sources(project: Project, modules: list[Module] | None = None) -> list[Path]:
    """Regenerate the nbgrader source notebooks from the modules; return those that changed."""
    changed = []
    for module in modules or project.catalogue.modules:
        path = source_notebook_path(project.course_dir, module)
        if write_notebook(build_evaluation_notebook(module), path):
            changed.append(path)
    return changed


def release(project: Project, module: Module, progress: Progress = _quiet) -> Path:
    """Generate the learner version (keys removed) and publish it in the exchange."""
    progress("Préparation de l'évaluation (les réponses attendues sont retirées)…")
    build_sources(project, [module])
    nb_api = api(project)
    _check(nb_api.generate_assignment(module.id), "La préparation de l'évaluation a échoué.")
    progress("Publication de l'évaluation pour les apprenants…")
    _check(nb_api.release_assignment(module.id), "La publication de l'évaluation a échoué.")
    return project.course_dir / "release" / module.id / EVALUATION_NOTEBOOK


def is_released(project: Project, module: Module) -> bool:
    outbound = project.exchange_dir / project.course_id / "outbound" / module.id
    return (outbound / EVALUATION_NOTEBOOK).is_file()


def collect(project: Project, module: Module, progress: Progress = _quiet) -> list[str]:
    """Copy every learner's latest submission into `submitted/`; return their ids."""
    progress("Ramassage des évaluations envoyées…")
    _check(api(project).collect(module.id), "Le ramassage a échoué.")
    from course.trainer.permissions import make_private

    make_private(project.course_dir / "submitted")
    return submitted_learners(project, module)


def submitted_learners(project: Project, module: Module) -> list[str]:
    root = project.course_dir / "submitted"
    if not root.is_dir():
        return []
    return sorted(p.parent.name for p in root.glob(f"*/{module.id}") if p.is_dir())


def grade(
    project: Project,
    module: Module,
    progress: Progress = _quiet,
    batch_progress: BatchProgress | None = None,
) -> BatchReport:
    """Autograde every collected submission in one nbgrader run (see course.trainer)."""
    from course.trainer.batch_grade import grade_module

    learners = submitted_learners(project, module)
    if not learners:
        raise WorkflowError(
            f"Aucune évaluation ramassée pour « {module.title} ». "
            f"Lancez d'abord : course collect {module.id}"
        )
    ensure_tools_on_path()
    ensure_exchange(project)
    progress(f"Correction de {len(learners)} évaluation(s)…")
    return grade_module(project, module, learners, batch_progress or (lambda *_: None))


def submit(project: Project, module: Module, learner_id: str) -> str:
    """Send a learner's evaluation through nbgrader's exchange; return the timestamp.

    The learner's folder gets a fresh copy of the released notebook with their free-text answers
    written into the manually graded cells, next to their answers file; nbgrader copies both.
    """
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.abc import ExchangeError
    from nbgrader.exchange.default.submit import ExchangeSubmit

    check_learner_id(learner_id)
    if not is_released(project, module):
        raise WorkflowError(
            "L'évaluation n'est pas encore ouverte. Prévenez la personne qui anime l'atelier."
        )
    if (project.course_dir / "submitted" / learner_id / module.id).is_dir():
        raise WorkflowError(
            "Vos réponses ont déjà été ramassées pour la correction. "
            "Vous ne pouvez plus les changer."
        )
    workspace = project.learners_dir / learner_id / module.id
    store = AnswerStore(workspace / ANSWERS_FILE)
    released = project.exchange_dir / project.course_id / "outbound" / module.id
    import nbformat  # here, not at the top: learner pages import this module (see notebooks.py)

    nb = nbformat.read(released / EVALUATION_NOTEBOOK, as_version=4)
    fill_free_text(nb, store.answers)
    write_notebook(nb, workspace / EVALUATION_NOTEBOOK)

    config = nbgrader_config(project)
    config.CourseDirectory.student_id = learner_id
    config.CourseDirectory.assignment_id = module.id
    ensure_exchange(project)
    coursedir = CourseDirectory(config=config)
    app = ExchangeSubmit(
        coursedir=coursedir, authenticator=Authenticator(config=config), config=config
    )
    app.assignment_dir = str(project.learners_dir / learner_id)
    try:
        app.start()
    except ExchangeError as exc:
        raise WorkflowError("L'envoi n'a pas marché. Vos réponses sont bien gardées.") from exc
    return store.mark_submitted()


def reset_learner(project: Project, module: Module, learner_id: str) -> None:
    """Remove a learner's workspace for one module (used by tests and `course` maintenance)."""
    shutil.rmtree(project.learners_dir / check_learner_id(learner_id) / module.id)
