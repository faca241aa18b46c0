"""`course grade`: one nbgrader Autograde run for a whole module, spread over every core.

One kernel per learner made grading cost about a second a copy (docs/architecture.md, « Grading cost »). Here the
grade cells are scored in-process (`course.trainer.fast_autograde`), nbgrader and our modules are
imported once, and the learners are split between forked worker processes, each running
nbgrader's own `Autograde` converter over its share. The gradebook stays nbgrader's SQLite file:
SQLite serialises writers with file locks, so workers wait for each other (a generous busy
timeout in the database URL) instead of failing with "database is locked"; it is never copied
or merged. A broken copy never stops the batch: it is reported with a French reason.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from course.answers.store import ANSWERS_FILE
from course.content.catalogue import Module
from course.content.notebooks import EVALUATION_NOTEBOOK
from course.core.ids import InvalidLearnerId, check_learner_id
from course.core.progress import quiet
from course.settings import Project
from course.trainer import permissions

# done, total, learner id just finished (or "" before the first one)
BatchProgress = Callable[[int, int, str], None]
BUSY_TIMEOUT_S = 600
_ERROR_MESSAGE = "There was an error processing assignment: %s"


@dataclass
class BatchReport:
    """What a run did: who was graded, who could not be (and why), remarks on graded copies."""

    graded: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # not graded: French reason
    notes: dict[str, list[str]] = field(default_factory=dict)  # graded, with French remarks
    log: dict[str, str] = field(default_factory=dict)  # nbgrader's traceback, for the curious

    def note(self, learner: str, text: str) -> None:
        self.notes.setdefault(learner, []).append(text)


def answers_problem(folder: Path) -> str | None:
    """A French remark when a copy's answers file is missing or unreadable (it scores 0)."""
    return _json_problem(
        folder / ANSWERS_FILE,
        "answers",
        dict,
        (
            "aucune réponse enregistrée (fichier de réponses absent) : 0 point",
            "fichier de réponses illisible (abîmé) : 0 point aux questions automatiques",
            "fichier de réponses mal formé : 0 point aux questions automatiques",
        ),
    )


def notebook_problem(folder: Path) -> str | None:
    """A French reason why nbgrader cannot grade a copy's notebook, or None if it looks sound.

    Only a missing notebook is refused before the run (nbgrader would skip the copy silently);
    an unreadable one goes through nbgrader like any other, so the gradebook records exactly
    what stock nbgrader records, and this explains the failure afterwards.
    """
    return _json_problem(
        folder / EVALUATION_NOTEBOOK,
        "cells",
        list,
        (
            "le notebook de l'évaluation manque dans la copie",
            "le notebook de la copie est illisible (abîmé ou modifié à la main)",
            "le notebook de la copie n'est pas un notebook (modifié à la main)",
        ),
    )


def _json_problem(path: Path, key: str, kind: type, messages: tuple[str, str, str]) -> str | None:
    """(missing, unreadable, malformed) message for a JSON file whose `key` must be a `kind`."""
    missing, unreadable, malformed = messages
    if not path.is_file():
        return missing
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return unreadable
    if not isinstance(data, dict) or not isinstance(data.get(key), kind):
        return malformed
    return None


def _database_url(project: Project) -> str:
    from course.coordinator.results import gradebook_url

    url = gradebook_url(project)
    if url.startswith("sqlite:///") and "?" not in url:
        url += f"?timeout={BUSY_TIMEOUT_S}"
    return url


class _Listener(logging.Handler):
    """Catches nbgrader's per-copy failure in a worker, so it can be reported at once."""

    def __init__(self, failed: Callable[[str, str], None]):
        super().__init__(logging.INFO)
        self.failed = failed
        self.pending: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == _ERROR_MESSAGE and record.args:
            self.pending = Path(str(record.args[0])).parent.name  # type: ignore[index]
        elif self.pending and record.levelno >= logging.ERROR:
            self.failed(self.pending, record.getMessage())
            self.pending = None


def _worker(project: Project, module_id: str, share: list[str], queue) -> None:
    """Grade `share` with one nbgrader Autograde run; report each copy on `queue`."""
    from nbgrader.converters import Autograde
    from nbgrader.converters.base import NbGraderException
    from nbgrader.coursedir import CourseDirectory

    from course.trainer import fast_autograde, speedups
    from course.trainer.nbgrader_setup import nbgrader_config

    speedups.apply()
    warnings.simplefilter("ignore")
    log = logging.getLogger(f"course.grade.worker{os.getpid()}")
    log.propagate = False
    log.setLevel(logging.INFO)
    seen: set[str] = set()

    def failed(learner: str, detail: str) -> None:
        if learner not in seen:
            seen.add(learner)
            queue.put(("failed", learner, detail))

    log.addHandler(_Listener(failed))

    class ShareAutograde(Autograde):
        """nbgrader's Autograde over this worker's share only, telling us as each copy is graded.

        The share is applied to the folders nbgrader found, not through `student_id_exclude`
        (a comma-separated list that a folder name holding a comma would escape).
        """

        def init_notebooks(self) -> None:
            super().init_notebooks()
            mine = set(share)
            self.assignments = {
                path: found
                for path, found in self.assignments.items()  # type: ignore[has-type]
                if Path(path).parent.name in mine
            }

        def _init_preprocessors(self) -> None:
            """nbconvert validates the notebook after each preprocessor; in the grading pass,
            once after the last (its own `optimistic_validation` option). That pass reads the
            notebook nbgrader's sanitizing pass has just validated and written, and its
            preprocessors only add valid outputs; the sanitizing pass, which reads the
            learner's file, keeps stock validation so a broken copy fails where it always did.
            """
            super()._init_preprocessors()
            self.exporter.optimistic_validation = not self._sanitizing

        def set_permissions(self, assignment_id: str, student_id: str) -> None:
            super().set_permissions(assignment_id, student_id)
            seen.add(student_id)
            incidents = [i.french() for i in fast_autograde.INCIDENTS if i.learner_id == student_id]
            fast_autograde.INCIDENTS.clear()
            queue.put(("graded", student_id, incidents))

    config = nbgrader_config(project)
    config.CourseDirectory.assignment_id = module_id
    config.CourseDirectory.student_id = "*"
    config.CourseDirectory.db_url = _database_url(project)
    config.Autograde.force = True
    config.Autograde.create_student = True
    config.FastExecute.project_root = str(project.root)
    try:
        coursedir = CourseDirectory(config=config, log=log)
        converter = ShareAutograde(coursedir=coursedir, config=config, log=log)
        converter.start()
    except NbGraderException:
        pass  # nbgrader lists failed copies at the end; each was reported already
    except Exception as exc:  # a whole share failing must not hide the others
        for learner in share:
            failed(learner, repr(exc))
    speedups.dispose_engines()
    for learner in share:
        failed(learner, "nbgrader n'a pas traité cette copie")
    queue.put(("end", "", None))


def _preload(project: Project, module: Module) -> None:
    """Import and build, before forking, what every worker needs (paid once, not per core)."""
    import nbgrader.converters  # noqa: F401
    import nbgrader.preprocessors  # noqa: F401

    import course.answers.grade_cell  # noqa: F401
    from course.trainer.fast_autograde import expected_cells

    expected_cells(project.root, module.id)


def grade_module(
    project: Project,
    module: Module,
    learners: list[str],
    progress: BatchProgress = quiet,
    workers: int | None = None,
) -> BatchReport:
    """Autograde every learner's collected copy of `module`; never stops on a broken copy."""
    from course.trainer import speedups

    speedups.skip_iri_grammar()
    report = BatchReport()
    submitted = project.layout.step_root("submitted")
    todo = []
    for learner in learners:
        try:
            check_learner_id(learner)
        except InvalidLearnerId:
            report.failed[learner] = (
                "cet identifiant n'est pas un identifiant d'apprenant du projet"
            )
            continue
        folder = submitted / learner / module.id
        if not (folder / EVALUATION_NOTEBOOK).is_file():
            report.failed[learner] = "le notebook de l'évaluation manque dans la copie"
            continue
        remark = answers_problem(folder)
        if remark:
            report.note(learner, remark)
        todo.append(learner)
    total = len(todo)
    progress(0, total, "")
    database = project.course_dir / "gradebook.db"
    journal = speedups.wal_journal(database) if database.is_file() else contextlib.nullcontext()
    if todo:
        with journal:
            _run(project, module, todo, report, progress, workers or os.cpu_count() or 1)
    report.graded.sort()
    permissions.make_private(submitted)
    permissions.make_private(project.layout.step_root("autograded"))
    permissions.secure_gradebook(project)
    return report


def _run(
    project: Project,
    module: Module,
    todo: list[str],
    report: BatchReport,
    progress: BatchProgress,
    workers: int,
) -> None:
    _preload(project, module)
    workers = max(1, min(workers, len(todo)))
    shares = [todo[i::workers] for i in range(workers)]
    ctx = multiprocessing.get_context("fork")  # children inherit the imports done above
    queue = ctx.Queue()
    procs = []
    for share in shares:
        proc = ctx.Process(target=_worker, args=(project, module.id, share, queue))
        proc.start()
        procs.append(proc)
    ended = done = 0
    while ended < len(procs):
        kind, learner, payload = queue.get()
        if kind == "end":
            ended += 1
            continue
        if kind == "graded":
            report.graded.append(learner)
            for text in payload:
                report.note(learner, text)
        else:
            folder = project.layout.path("submitted", learner, module.id)
            report.failed[learner] = notebook_problem(folder) or (
                "nbgrader n'a pas pu corriger cette copie (notebook modifié à la main ?)"
            )
            report.log[learner] = str(payload)
        done += 1
        progress(done, len(todo), learner)
    for proc in procs:
        proc.join()
