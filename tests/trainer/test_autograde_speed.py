"""The benchmark at a small N, as a test of equality (not of time): stock nbgrader autograde
and `course grade` write identical gradebooks for right, wrong, empty, odd and damaged copies."""

from __future__ import annotations

import importlib.util

import pytest
from support.project import REPO


def _benchmark_module():
    spec = importlib.util.spec_from_file_location(
        "autograde_speed", REPO / "benchmarks" / "autograde_speed.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_stock_and_course_grade_write_identical_gradebooks(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    bench = _benchmark_module()
    result = bench.benchmark(tmp_path, 10, "proteger-ses-donnees")
    assert result["diffs"] == []
    assert sorted(result["damaged"].values()) == sorted(bench.DAMAGES)
    assert result["submissions"] == 10  # the broken notebooks fail in both, not silently
    assert result["grades"] >= 10 * 9
    assert "Kernel is running" not in result["fast_output"]
    assert "Notes" in result["fast_output"] and "Non corrigées" in result["fast_output"]
