"""Throw-away projects for tests and benchmarks: a copy of this repository's modules, or the
essai fixture module (one question of each type) taken through the real nbgrader cycle.

Nothing here touches the repository's own `var/`: every project lives in the folder given.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
FIXTURE_MODULES = REPO / "tests" / "fixtures" / "modules"
# What a project needs from the repository (the rest, `var/`, is made as it runs).
PROJECT_FILES = ["nbgrader_config.py", "modules", "assessments/source"]


def copy_project(dest: Path, tracked_only: bool = False) -> Path:
    """A copy of the repository's project (configuration, modules, evaluation sources) in
    `dest`. `tracked_only`: only the files git knows (the benchmarks measure what is committed,
    not work in progress), or everything when git cannot tell; the tests take the working tree
    as it is."""
    dest.mkdir(parents=True, exist_ok=True)
    names = _tracked() if tracked_only else None
    if names is None:
        shutil.copy(REPO / "nbgrader_config.py", dest / "nbgrader_config.py")
        shutil.copytree(REPO / "modules", dest / "modules")
        shutil.copytree(REPO / "assessments" / "source", dest / "assessments" / "source")
        return dest
    for name in names:
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    return dest


def _tracked() -> list[str] | None:
    """The project's files git knows, or None without git (e.g. an unpacked archive)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--", *PROJECT_FILES],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout.split(b"\0")
    except (OSError, subprocess.CalledProcessError):
        return None
    return [name.decode() for name in listed if name]


def essai_project_at(dest: Path) -> Any:
    """A project holding only `tests/fixtures/modules/01-essai`: one question of each type, for
    tests of the machinery whose outcome must not change when the real modules' content does."""
    from course.settings import Project
    from course.trainer.workflow import build_sources

    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", dest / "nbgrader_config.py")
    shutil.copytree(FIXTURE_MODULES, dest / "modules")
    project = Project(dest)
    build_sources(project)
    return project


def copied(root: Path, dest: Path) -> Any:
    """A copy of the project at `root` (made once by a fixture of wider scope: a release, a
    collection, a grading) for one test to change: nbgrader's and our paths are relative to
    the project's folder, so the copy is a project of its own."""
    from course.settings import Project

    shutil.copytree(root, dest, symlinks=True)
    return Project(dest)


def configured(project: Any, *lines: str) -> Any:
    """`project` read again after `lines` (`c.ServeSettings.port = 9000`…) are added to its
    nbgrader_config.py: what a deployer's setting does at the next start."""
    from course.settings import CONFIG_FILE, Project

    config = project.root / CONFIG_FILE
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "".join(f"\n{line}" for line in lines) + "\n", encoding="utf-8")
    return Project(project.root)


def free_port() -> int:
    """A TCP port nobody listens on now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def released_essai(root: Path, answers: dict[str, dict], written: dict[str, tuple[float, str]]):
    """The essai module through the whole real cycle: release, each learner's answers through
    their session, submission, collection, grading, a person's score and comment on the written
    answer (`written`: learner name -> (points, comment)), then results released.
    Returns the project and the learners by name."""
    return essai_cycle(essai_project_at(root), answers, written)


def essai_cycle(project, answers: dict[str, dict], written: dict[str, tuple[float, str]]):
    """`released_essai`'s cycle on a project already made (e.g. configured for PostgreSQL)."""
    from nbgrader.api import Gradebook

    from course.coordinator.results import gradebook_url
    from course.learner.session import LearnerSession
    from course.trainer.feedback import generate_feedback
    from course.trainer.workflow import collect, grade, release

    module = project.catalogue.get("essai")
    release(project, module)
    learners = {}
    for name, given in answers.items():
        learner, _ = project.roster().add(name)
        learners[name] = learner
        session = LearnerSession(project, module, learner.id)
        for question_id, answer in given.items():
            session.answer(question_id, answer)
        session.submit()
    collect(project, module)
    grade(project, module)
    with Gradebook(gradebook_url(project)) as gb:
        for name, (points, comment) in written.items():
            lid = learners[name].id
            gb.find_grade("eval-message", "evaluation", "essai", lid).manual_score = points
            gb.find_comment("eval-message", "evaluation", "essai", lid).manual_comment = comment
        gb.db.commit()
    generate_feedback(project, module)
    return project, learners
