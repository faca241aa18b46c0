"""The real thing, in a temporary copy of the project (the trainer's data is never touched):
the served notebooks run headless, and the key and an empty submission go through nbgrader's
real release, submit, collect and autograde.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import nbformat

from course.content.catalogue import (
    Module,
)
from course.content.check.report import ModuleReport, Problem, _shorten
from course.content.check.rules import key_answer
from course.content.check.settings import (
    EMPTY_LEARNER,
    KEY_LEARNER,
    PROJECT,
    CheckSettings,
)
from course.core.progress import Progress
from course.settings import CONFIG_FILE, Project

# ---------------------------------------------------------------------------------------------
# Headless execution and the nbgrader chain, in a temporary copy of the project
# ---------------------------------------------------------------------------------------------

_SANDBOX_CONFIG = """

# --- Added by `course check`: this copy is a sandbox, nothing leaves its folder. ---
import os as _course_check_os

_course_check_here = _course_check_os.path.dirname(_course_check_os.path.abspath(__file__))
_course_check_c = get_config()  # noqa: F821
_course_check_c.CourseDirectory.root = _course_check_os.path.join(_course_check_here, "assessments")
_course_check_c.CourseDirectory.db_url = "sqlite:///" + _course_check_os.path.join(
    _course_check_here, "assessments", "gradebook.db"
)
_course_check_c.Exchange.root = _course_check_os.path.join(_course_check_here, "var", "exchange")
_course_check_c.CourseSettings.modules_dir = "modules"
_course_check_c.CourseSettings.data_dir = "var"
"""


def sandbox_copy(project: Project, modules: list[Module], dest: Path) -> Project:
    """A copy of the project with only `modules`, whose data all stay inside `dest`.

    The configuration is copied and then pinned: a trainer's absolute exchange folder or
    PostgreSQL gradebook in nbgrader_config.py is never used by the check.
    """
    dest.mkdir(parents=True, exist_ok=True)
    config = (project.root / CONFIG_FILE).read_text(encoding="utf-8")
    (dest / CONFIG_FILE).write_text(config + _SANDBOX_CONFIG, encoding="utf-8")
    (dest / "modules").mkdir()
    sandbox = Project(dest)
    for module in modules:
        shutil.copytree(module.folder, dest / "modules" / module.folder.name)
        source = project.layout.assignment_path("source", module.id)
        if source.is_dir():
            shutil.copytree(source, sandbox.layout.assignment_path("source", module.id))
    return sandbox


def execute_site(
    sandbox: Project, settings: CheckSettings, progress: Progress
) -> dict[str, list[Problem]]:
    """Run every notebook `course serve` would serve, headless; problems by module id.

    Each notebook gets a fresh kernel, as in Voilà, with the server's environment
    (`COURSE_ROOT` is the sandbox). The catalogue runs as a visitor, so it shows the sign-in
    form; lessons and evaluations run for a signed-in learner (a personal link in
    `QUERY_STRING`, which the pages read outside Voilà), so every question is drawn. A cell
    error, text on stderr (Voilà would show it) or a traceback the page logged to the kernel's
    own stderr (the learner would see "Un problème est arrivé") is a problem.
    Kernels run `settings.parallel_kernels` at a time: starting them is the slow part.
    """
    from jupyter_core.utils import run_sync

    from course.access.roster import TOKEN_PARAM
    from course.server.serve import build_site, server_env

    site = build_site(sandbox)
    visitor = server_env(sandbox)
    visitor.pop("QUERY_STRING", None)
    roster = sandbox.roster()
    learner, _code = roster.add("Vérification")
    signed_in = {**visitor, "QUERY_STRING": f"{TOKEN_PARAM}={roster.token(learner.id)}"}
    paths = sorted(site.rglob("*.ipynb"))
    jobs = [(p, visitor if p.parent == site else signed_in) for p in paths]
    progress(
        f"Exécution sans navigateur des {len(paths)} pages servies (index, leçons, évaluations)"
    )
    found = run_sync(_execute_all)(jobs, settings)
    problems: dict[str, list[Problem]] = {}
    for path, path_problems in zip(paths, found, strict=True):
        module_id = path.parent.name if path.parent != site else PROJECT
        rel = path.relative_to(site)
        problems.setdefault(module_id, []).extend(
            Problem("application", f"page {rel}", message) for message in path_problems
        )
    return problems


async def _execute_all(
    jobs: list[tuple[Path, dict | None]], settings: CheckSettings
) -> list[list[str]]:
    import asyncio

    limit = asyncio.Semaphore(max(1, settings.parallel_kernels))

    async def one(path: Path, env: dict | None) -> list[str]:
        async with limit:
            return await _execute(path, env, settings.execution_timeout)

    return list(await asyncio.gather(*(one(path, env) for path, env in jobs)))


async def _execute(path: Path, env: dict | None, timeout: int) -> list[str]:
    """Problems met running one notebook (an empty list when it runs cleanly)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    found, raised = [], ""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        try:
            # The kernel's own stderr: the pages log their errors there, behind PAGE_ERROR_MARK
            # (ipykernel logs its own notices too, e.g. ZMQ tracebacks at shutdown).
            extra: dict[str, Any] = {"env": env} if env is not None else {}
            await client.async_execute(stderr=log, **extra)
        except CellExecutionError as exc:
            raised = f"erreur à l'exécution : {_last_line(exc)}"
        except Exception as exc:  # the kernel died, a timeout...
            raised = f"ne s'exécute pas : {exc!r}"
        log.seek(0)
        logged = log.read()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"erreur : {out.get('ename')}: {_shorten(out.get('evalue', ''))}")
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                found.append(f"écrit sur stderr : {_shorten(out['text'])}")
    if raised and not any(f.startswith("erreur :") for f in found):
        found.insert(0, raised)
    from course.learner.pages import PAGE_ERROR_MARK

    if PAGE_ERROR_MARK in logged:
        # The page's report only: what follows the mark, up to the next kernel notice.
        report = logged.split(PAGE_ERROR_MARK, 1)[1].split("\n[", 1)[0]
        found.append(f"la page a rencontré une erreur : {_last_line(report)}")
    return found


def _last_line(error: Exception | str) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error))  # IPython colours its tracebacks
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return _shorten(lines[-1] if lines else repr(error))


def grade_through_nbgrader(
    sandbox: Project, reports: dict[str, ModuleReport], progress: Progress
) -> None:
    """Release each module, submit the key and an empty copy, collect, autograde, compare.

    The key's learner must earn every autograded question's points (their written answer waits
    for a person); the empty copy must earn 0 everywhere. Scores are read from the gradebook.
    """
    from course.coordinator.results import submissions
    from course.learner.session import LearnerSession
    from course.trainer.workflow import WorkflowError, collect, grade, release

    for module in sandbox.catalogue.modules:
        report = reports[module.id]
        try:
            key = {q.id: key_answer(q) for q in module.questions}
        except ValueError as exc:
            report.fail(
                "correction",
                "evaluation.toml",
                f"je ne sais pas répondre avec la clé ({exc}) : ajoutez ce type à "
                "Question.model_answer (course/catalogue.py)",
            )
            continue
        try:
            progress(f"{module.id} : publication de l'évaluation (nbgrader)")
            release(sandbox, module)
            for learner, answers in ((KEY_LEARNER, key), (EMPTY_LEARNER, {})):
                session = LearnerSession(sandbox, module, learner)
                for qid, answer in answers.items():
                    session.answer(qid, answer)
                session.submit()
            collect(sandbox, module)
            progress(f"{module.id} : correction automatique de 2 copies (nbgrader)")
            result = grade(sandbox, module)
        except WorkflowError as exc:
            report.fail("correction", "nbgrader", f"{exc} {_shorten(exc.log, 400)}".strip())
            continue
        for learner, log in result.failed.items():
            report.fail(
                "correction", f"copie {learner}", f"nbgrader a échoué : {_shorten(log, 400)}"
            )
        graded = {s.learner_id: s for s in submissions(sandbox, module)}
        _compare(report, module, graded)
        report.grading = (
            f"nbgrader : la clé obtient "
            f"{_total(graded.get(KEY_LEARNER))} / {sum(q.points for q in module.questions if q.autograded):g} "
            f"points corrigés automatiquement ; une copie vide obtient "
            f"{_total(graded.get(EMPTY_LEARNER))}."
        )


def _total(submission) -> str:
    return "?" if submission is None else f"{submission.score:g}"


def _compare(report: ModuleReport, module: Module, graded: dict) -> None:
    for learner in (KEY_LEARNER, EMPTY_LEARNER):
        if learner not in graded:
            report.fail("correction", f"copie {learner}", "absente du carnet de notes nbgrader")
            continue
        got = graded[learner].questions
        missing = [q.id for q in module.questions if q.id not in got]
        if missing:
            report.fail("correction", f"copie {learner}", f"questions non notées : {missing}")
        extra = sorted(set(got) - {q.id for q in module.questions})
        if extra:
            report.fail("correction", f"copie {learner}", f"cellules notées en trop : {extra}")
        for q in module.questions:
            if q.id not in got:
                continue
            score, max_score = got[q.id].score, got[q.id].max_score
            where = f"evaluation.toml, question « {q.id} »"
            if max_score != q.points:
                report.fail("correction", where, f"notée sur {max_score:g} au lieu de {q.points:g}")
            if learner == EMPTY_LEARNER and score is None:
                report.fail("correction", where, "une copie vide attend une correction à la main")
            elif learner == EMPTY_LEARNER and score != 0:
                report.fail("correction", where, f"une copie vide obtient {score:g} (et non 0)")
            elif learner == KEY_LEARNER and q.autograded and score != q.points:
                report.fail(
                    "correction",
                    where,
                    f"la réponse attendue obtient {score:g} sur {q.points:g} avec nbgrader",
                )
            elif learner == KEY_LEARNER and not q.autograded and score is not None:
                report.fail(
                    "correction",
                    where,
                    f"une réponse rédigée devrait attendre la formatrice, elle obtient {score:g}",
                )
