"""Committed notebooks carry no outputs and match the modules they are built from."""

import json
from pathlib import Path

import nbformat
import pytest

from course.content.notebooks import build_evaluation_notebook, source_notebook_path
from course.settings import Project

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(
    p
    for top in ("modules", "assessments/source", "course")
    for p in (REPO / top).rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_no_outputs_nor_execution_counts(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], path
            assert cell.get("execution_count") is None, path


def test_source_notebooks_are_in_sync_with_modules():
    project = Project(REPO)
    for module in project.catalogue.modules:
        path = source_notebook_path(project, module)
        assert path.exists(), f"run `course build` ({path} missing)"
        built = nbformat.writes(build_evaluation_notebook(module)) + "\n"
        assert path.read_text(encoding="utf-8") == built, f"run `course build` ({path} stale)"
