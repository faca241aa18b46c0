"""The whole `course check`: every rule on every module, never stopping at the first problem."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from course.content.catalogue import (
    Module,
    ModuleError,
    find_folder,
    folder_parts,
    load_module,
    module_folders,
)
from course.content.check.french import JargonList, check_plain_french, measure, read_jargon
from course.content.check.report import CheckReport, ModuleReport, Problem
from course.content.check.review import content_problems
from course.content.check.rules import (
    _notebooks,
    check_content,
    check_source_notebook,
    notebook_outputs,
)
from course.content.check.sandbox import execute_site, grade_through_nbgrader, sandbox_copy
from course.content.check.settings import CheckSettings
from course.core.progress import Progress, quiet
from course.settings import Project

# ---------------------------------------------------------------------------------------------
# The whole check
# ---------------------------------------------------------------------------------------------


def run_check(
    project: Project,
    module_ref: str | None = None,
    *,
    grading: bool = True,
    apps: bool | None = None,
    progress: Progress = quiet,
    settings: CheckSettings | None = None,
    jargon: JargonList | None = None,
) -> CheckReport:
    """Check the modules of `project` (or the one `module_ref` names); never raises on content.

    `grading=False` skips the slow part: the served apps run headless and the nbgrader chain.
    `apps` runs the served apps or not regardless of `grading`.
    """
    apps = grading if apps is None else apps
    settings = settings or CheckSettings(config=project.config)
    jargon = jargon or read_jargon()
    report = CheckReport(settings=settings)
    loaded: list[Module] = []
    folders = module_folders(project.modules_dir)
    if module_ref is not None:
        folders = [find_folder(folders, module_ref)]
    for folder in folders:
        module_report = ModuleReport(folder.name, folder_parts(folder)[1])
        report.modules.append(module_report)
        progress(f"Lecture du module {folder.name}")
        try:
            module = load_module(folder)
        except ModuleError as exc:
            module_report.fail("module illisible", "", str(exc))
            continue
        except Exception as exc:  # a content error the loader did not foresee
            module_report.fail("module illisible", "", f"{type(exc).__name__} : {exc}")
            continue
        module_report.title = module.title
        loaded.append(module)
        module_report.readability = measure(module, jargon)
        check_plain_french(module_report, module_report.readability, settings)
        check_content(module_report, module, settings)
        for message in content_problems(module, date.today()):
            module_report.fail("contenu", "", message)
        check_source_notebook(module_report, module, project)
        for path in _notebooks(folder) + _notebooks(
            project.layout.assignment_path("source", module.id)
        ):
            why = notebook_outputs(path)
            if why:
                module_report.fail("notebook", str(path.relative_to(project.root)), why)

    if module_ref is None:
        package = Path(__file__).parents[1]
        for path in _notebooks(package):
            why = notebook_outputs(path)
            if why:
                report.project_problems.append(Problem("notebook", str(path), why))

    if (grading or apps) and loaded:
        by_id = {m.module_id: m for m in report.modules}
        with tempfile.TemporaryDirectory(prefix="course-check-") as tmp:
            sandbox = sandbox_copy(project, loaded, Path(tmp) / "projet")
            if apps:
                for module_id, problems in execute_site(sandbox, settings, progress).items():
                    target = by_id[module_id].problems if module_id in by_id else None
                    (target if target is not None else report.project_problems).extend(problems)
            if grading:
                grade_through_nbgrader(sandbox, by_id, progress)
    return report
