"""The trainer's nbgrader cycle: build, release, collect and grade (feedback: `feedback`).

Everything goes through nbgrader's own API and exchange, configured from `nbgrader_config.py`,
so formgrader, the gradebook and our commands always agree. Failures are raised as
`WorkflowError` with a French message for the trainer and nbgrader's log attached.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from course.content.catalogue import Module
from course.content.notebooks import (
    EVALUATION_NOTEBOOK,
    build_evaluation_notebook,
    source_notebook_path,
    write_notebook,
)
from course.settings import Project
from course.trainer.nbgrader_setup import WorkflowError, api, check_result
from course.trainer.submission import is_released, submit

__all__ = [
    "GradeReport",
    "Progress",
    "WorkflowError",
    "build_sources",
    "collect",
    "grade",
    "is_released",
    "release",
    "reset_learner",
    "submit",
    "submitted_learners",
]

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def build_sources(project: Project, modules: list[Module] | None = None) -> list[Path]:
    """Regenerate the nbgrader source notebooks from the modules; return those that changed."""
    changed = []
    for module in modules or project.catalogue.modules:
        path = source_notebook_path(project, module)
        if write_notebook(build_evaluation_notebook(module), path):
            changed.append(path)
    return changed


def release(project: Project, module: Module, progress: Progress = _quiet) -> Path:
    """Generate the learner version (keys removed) and publish it in the exchange."""
    progress("Préparation de l'évaluation (les réponses attendues sont retirées)…")
    build_sources(project, [module])
    nb_api = api(project)
    check_result(nb_api.generate_assignment(module.id), "La préparation de l'évaluation a échoué.")
    progress("Publication de l'évaluation pour les apprenants…")
    check_result(nb_api.release_assignment(module.id), "La publication de l'évaluation a échoué.")
    return project.layout.assignment_path("release", module.id) / EVALUATION_NOTEBOOK


def collect(project: Project, module: Module, progress: Progress = _quiet) -> list[str]:
    """Copy every learner's latest submission into `submitted/`; return their ids."""
    progress("Ramassage des évaluations envoyées…")
    check_result(api(project).collect(module.id), "Le ramassage a échoué.")
    return submitted_learners(project, module)


def submitted_learners(project: Project, module: Module) -> list[str]:
    return project.layout.learners("submitted", module.id)


@dataclass
class GradeReport:
    graded: list[str]
    failed: dict[str, str]


def grade(project: Project, module: Module, progress: Progress = _quiet) -> GradeReport:
    """Autograde every collected submission with nbgrader (one kernel per learner)."""
    learners = submitted_learners(project, module)
    if not learners:
        raise WorkflowError(
            f"Aucune évaluation ramassée pour « {module.title} ». "
            f"Lancez d'abord : course collect {module.id}"
        )
    nb_api = api(project)
    report = GradeReport([], {})
    for i, learner in enumerate(learners, 1):
        progress(f"Correction {i}/{len(learners)} : {learner}")
        with warnings.catch_warnings():
            # nbgrader's own SQLAlchemy usage warns on every autograde; nothing we can act on.
            warnings.simplefilter("ignore")
            result = nb_api.autograde(module.id, learner)
        if result.get("success"):
            report.graded.append(learner)
        else:
            report.failed[learner] = (result.get("log") or "") + (result.get("error") or "")
    return report


def reset_learner(project: Project, module: Module, learner_id: str) -> None:
    """Remove a learner's workspace for one module (used by tests and `course` maintenance)."""
    shutil.rmtree(project.workspace(learner_id, module.id))
