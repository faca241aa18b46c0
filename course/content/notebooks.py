"""Build the nbgrader source notebook of an evaluation from the module's `evaluation.toml`.

The TOML is the one truth for questions and keys; the source notebook under
`assessments/source/<module>/` is derived from it (and a test checks they agree). Each
autograded question gets a grade cell whose whole body is a hidden test, so the released
notebook carries no key; each free-text question gets a manually graded Markdown cell that the
learner's text fills at submission.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from course.content.catalogue import Module
from course.settings import Project

if TYPE_CHECKING:
    import nbformat

# nbformat is imported where it is used: importing it costs about 1.3 s of CPU (jsonschema's
# format checkers), and the learner pages, which import this module's constants through
# `course.trainer.submission`, run in a fresh kernel for every page view.

EVALUATION_NOTEBOOK = "evaluation.ipynb"
FREE_TEXT_STUB = "*(La réponse écrite par la personne apparaîtra ici.)*"
HIDDEN_TAG = "course-hidden"


def _nbgrader(grade_id: str, *, grade: bool, solution: bool, points: float = 0) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return meta


def grade_cell_source(key: dict) -> str:
    return (
        "### BEGIN HIDDEN TESTS\n"
        "from course.answers.grade_cell import grade\n"
        f"grade({json.dumps(key, ensure_ascii=False)})\n"
        "### END HIDDEN TESTS"
    )


def build_evaluation_notebook(module: Module) -> nbformat.NotebookNode:
    """The nbgrader source notebook for `module`'s evaluation."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    cells = [
        new_markdown_cell(
            f"# {module.title} : évaluation",
            metadata={"nbgrader": _nbgrader("titre", grade=False, solution=False)},
        ),
        new_code_cell(
            f'from course.learner.app import evaluation_app\n\nevaluation_app("{module.id}")',
            metadata={"nbgrader": _nbgrader("application", grade=False, solution=False)},
        ),
    ]
    for q in module.questions:
        if q.autograded:
            cells.append(
                new_code_cell(
                    grade_cell_source(q.key()),
                    metadata={
                        "nbgrader": _nbgrader(q.id, grade=True, solution=False, points=q.points),
                        "tags": [HIDDEN_TAG],
                    },
                )
            )
        else:
            cells.append(
                new_markdown_cell(
                    FREE_TEXT_STUB,
                    metadata={
                        "nbgrader": _nbgrader(q.id, grade=True, solution=True, points=q.points),
                        "tags": [HIDDEN_TAG],
                    },
                )
            )
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["course"] = {"module": module.id}
    # Deterministic cell ids so the committed file does not churn on every build.
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{module.id[:40]}-{i:02d}"
    return nb


def write_notebook(nb: nbformat.NotebookNode, path: Path) -> bool:
    """Write if the content differs; return True when the file changed."""
    import nbformat

    text = nbformat.writes(nb) + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def source_notebook_path(project: Project, module: Module) -> Path:
    """Where nbgrader reads the evaluation's source (`CourseDirectory.source_directory`)."""
    return project.layout.assignment_path("source", module.id) / EVALUATION_NOTEBOOK


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def escape_markdown(text: str) -> str:
    """Text that Markdown renders literally: no HTML, no links, no emphasis."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))


def fill_free_text(nb: nbformat.NotebookNode, answers: dict) -> None:
    """Copy the learner's free-text answers into their manually graded cells, as inert text.

    The text is escaped so formgrader shows exactly what was typed and never renders markup a
    learner typed. An empty answer leaves the stub, which nbgrader scores 0 automatically.
    """
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "markdown" and meta.get("solution") and meta.get("grade"):
            text = answers.get(meta["grade_id"])
            if isinstance(text, str) and text.strip():
                lines = [escape_markdown(line) for line in text.strip().splitlines()]
                cell.source = "<br>\n".join(line or "&nbsp;" for line in lines)
