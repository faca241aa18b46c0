"""Shared fixtures: a throw-away copy of the project, so tests never touch real learners' data."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# The coordinator tests' fixtures (sites after a real cycle, their bundles, one PostgreSQL).
pytest_plugins = ["coordinator_support"]


FIXTURE_MODULES = Path(__file__).resolve().parent / "fixtures" / "modules"


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", dest / "nbgrader_config.py")
    shutil.copytree(REPO / "modules", dest / "modules")
    shutil.copytree(REPO / "assessments" / "source", dest / "assessments" / "source")
    return dest


def essai_project_at(dest: Path):
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


@pytest.fixture
def project_dir(tmp_path, monkeypatch) -> Path:
    root = copy_project(tmp_path / "projet")
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    return root


@pytest.fixture
def project(project_dir):
    from course.settings import Project

    return Project(project_dir)


@pytest.fixture
def essai_project(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    return essai_project_at(tmp_path / "essai")


@pytest.fixture
def guard():
    """Browser tests: every request that tries to leave the machine fails the test."""
    from browser_chromium import Guard

    guard = Guard()
    yield guard
    guard.check()


@pytest.fixture
def context(guard):
    """Browser tests: a fresh Chromium context (own cookies, storage), guarded, French."""
    from browser_chromium import new_context

    context = new_context(guard)
    yield context
    context.close()


@pytest.fixture(scope="session")
def shared_servers():
    """Browser tests: the servers of `browser_server.served(..., shared=True)`, by site, stopped
    when the test session ends."""
    servers: dict = {}
    yield servers
    for _site, server in servers.values():
        server.stop()


def free_port() -> int:
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
