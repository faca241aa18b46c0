"""Shared fixtures only: a throw-away copy of the project, so tests never touch real learners'
data, and the browser tests' guard, context and shared servers. Helpers that tests import live
in `support/` (no test imports this file)."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import pytest
from support.project import copy_project, essai_project_at

# The coordinator tests' fixtures (sites after a real cycle, their bundles, one PostgreSQL), and
# the order `--dist loadfile` hands files to the workers in (the longest first).
pytest_plugins = ["coordinator_support", "scheduling"]


def pytest_runtest_setup(item: pytest.Item) -> None:
    """nbgrader's `Gradebook` runs `alembic heads` in a child process for every new database
    (`nbgrader.api.get_alembic_version`: Python, alembic and nbgrader imported again, seconds of
    CPU), and nearly every test makes a new one. The answer only depends on the installed
    nbgrader: it is asked once per test session, the first time, then remembered. Child
    processes (`course serve`, the space's steps, commands) still ask it themselves."""
    api = sys.modules.get("nbgrader.api")
    if api is not None and not hasattr(api.get_alembic_version, "cache_info"):
        api.get_alembic_version = functools.cache(api.get_alembic_version)


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
def trainer(essai_project):
    """The trainer's space in process (`support.spaces.SpaceClient`), signed in with the link
    `course serve` prints, on an empty essai project: pages in milliseconds, no browser."""
    from support.spaces import SpaceClient, save_site_settings

    save_site_settings(essai_project)  # past the first visit's settings page
    with SpaceClient(essai_project) as client:
        client.sign_in()
        yield client


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
