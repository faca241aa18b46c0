"""nbgrader as our commands need it: its configuration from `nbgrader_config.py` plus what our
cycle cannot do without, its exchange folders, its command-line tools on PATH, its API object.

Shared by the trainer's cycle (`course.trainer.workflow`) and the learner's submission
(`course.trainer.submission`); nbgrader is imported inside the functions, never at import time.
"""

from __future__ import annotations

import os
import sys
from copy import deepcopy
from pathlib import Path
from typing import Any

from traitlets.config import Config

from course.core.errors import UserError
from course.settings import Project


class WorkflowError(UserError):
    """A step of the cycle failed; `str()` is French for the trainer, `log` is nbgrader's."""

    log_title = "Journal de nbgrader"


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


def api(project: Project) -> Any:
    """nbgrader's `NbGraderAPI` on this project (formgrader uses the same object)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    ensure_tools_on_path()
    config = nbgrader_config(project)
    ensure_exchange(project)
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def check_result(result: dict, message: str) -> dict:
    """nbgrader's API answers `{"success": False, "log": …}` instead of raising: raise."""
    if not result.get("success"):
        raise WorkflowError(message, (result.get("log") or "") + (result.get("error") or ""))
    return result


def outbound_dir(project: Project, module_id: str) -> Path:
    """Where nbgrader's default exchange publishes a released assignment.

    nbgrader computes it inside `ExchangeReleaseAssignment.init_dest` (root, course id,
    "outbound", assignment id) without a method to ask; this mirrors that one line.
    """
    return project.exchange_dir / project.course_id / "outbound" / module_id
