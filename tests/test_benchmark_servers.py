"""What the benchmarks share (benchmarks/servers.py): the project with its signed-up learners
that the memory and kernel-mapping benchmarks both measure on."""

from __future__ import annotations

import importlib.util

from support.project import REPO


def _servers(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))  # its own imports' folder
    spec = importlib.util.spec_from_file_location("servers", REPO / "benchmarks" / "servers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_benchmarks_project_is_a_copy_with_its_learners_signed_up(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_ROOT", str(tmp_path / "ailleurs"))  # not the one measured
    servers = _servers(monkeypatch)
    project, ids = servers.bench_project(tmp_path, 3)
    assert project.root == tmp_path / "projet"
    assert (project.root / "nbgrader_config.py").exists()
    roster = project.roster()
    assert [learner.id for learner in roster.learners()] == ids and len(set(ids)) == 3
    assert roster.sign_in("Bench02", servers.BENCH_CODE).id == ids[2]
