"""The trainer's nbgrader cycle: build, release, collect and grade (feedback: `feedback`).

Everything goes through nbgrader's own API and exchange, configured from `nbgrader_config.py`,
so formgrader, the gradebook and our commands always agree. Failures are raised as
`WorkflowError` with a French message for the trainer and nbgrader's log attached.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from course.content.catalogue import Module
from course.content.notebooks import (
    EVALUATION_NOTEBOOK,
    build_evaluation_notebook,
    source_notebook_path,
    write_notebook,
)
from course.core.french import count
from course.core.progress import Progress, quiet
from course.settings import Project
from course.trainer.nbgrader_setup import (
    WorkflowError,
    api,
    check_result,
    ensure_exchange,
    ensure_tools_on_path,
)
from course.trainer.submission import is_released, submit

if TYPE_CHECKING:
    from course.trainer.batch_grade import BatchProgress, BatchReport

__all__ = [
    "WorkflowError",
    "build_sources",
    "collect",
    "grade",
    "is_released",
    "release",
    "submit",
    "submitted_learners",
]


def build_sources(project: Project, modules: list[Module] | None = None) -> list[Path]:
    """Regenerate the nbgrader source notebooks from the modules; return those that changed."""
    changed = []
    for module in modules or project.catalogue.modules:
        path = source_notebook_path(project, module)
        if write_notebook(build_evaluation_notebook(module), path):
            changed.append(path)
    return changed


def release(project: Project, module: Module, progress: Progress = quiet) -> Path:
    """Generate the learner version (keys removed) and publish it in the exchange."""
    progress("Préparation de l'évaluation (les réponses attendues sont retirées)…")
    build_sources(project, [module])
    nb_api = api(project)
    check_result(nb_api.generate_assignment(module.id), "La préparation de l'évaluation a échoué.")
    progress("Publication de l'évaluation pour les apprenants…")
    check_result(nb_api.release_assignment(module.id), "La publication de l'évaluation a échoué.")
    return project.layout.assignment_path("release", module.id) / EVALUATION_NOTEBOOK


def collect(project: Project, module: Module, progress: Progress = quiet) -> list[str]:
    """Copy every learner's latest submission into `submitted/`; return their ids."""
    progress("Ramassage des évaluations envoyées…")
    check_result(api(project).collect(module.id), "Le ramassage a échoué.")
    from course.trainer.permissions import make_private

    make_private(project.layout.step_root("submitted"))
    return submitted_learners(project, module)


def submitted_learners(project: Project, module: Module) -> list[str]:
    return project.layout.learners("submitted", module.id)


def grade(
    project: Project,
    module: Module,
    progress: Progress = quiet,
    batch_progress: BatchProgress | None = None,
) -> BatchReport:
    """Autograde every collected submission in one nbgrader run (see course.trainer.batch_grade)."""
    from course.trainer.batch_grade import grade_module

    learners = submitted_learners(project, module)
    if not learners:
        raise WorkflowError(
            f"Aucune évaluation ramassée pour « {module.title} » : ramassez-les d'abord "
            "(bouton « Ramasser » de la page de suivi)."
        )
    ensure_tools_on_path()
    ensure_exchange(project)
    progress(f"Correction de {count(len(learners), 'évaluation', 'évaluations')}…")
    return grade_module(project, module, learners, batch_progress or (lambda *_: None))
