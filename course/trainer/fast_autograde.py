"""Score our generated grade cells inside nbgrader's Autograde, without starting a kernel.

nbgrader's `Execute` preprocessor starts a Python kernel for every notebook, and that start is
almost the whole cost of grading (docs/architecture.md, « Grading cost »), while our grade cells are pure functions
of the answers file. `FastExecute` takes `Execute`'s place in `Autograde.autograde_preprocessors`
(see `nbgrader_config.py`) and writes into each grade cell the very outputs a kernel would have
produced: an `execute_result` whose `text/plain` is the score's `repr`, a `stream` for anything
printed, an `error` for an exception. Everything after it (`LimitOutput`, `SaveAutoGrades` and
its `determine_grade`, late penalties, checksums, the gradebook) is nbgrader's, unchanged, so the
grades are nbgrader's by construction.

Only cells whose source is exactly what `course.content.notebooks` generates for that cell id are
evaluated, and evaluating one means calling `course.answers.grade_cell.grade` on a literal key: nothing a
submission carries is ever executed. Any other code cell is left unexecuted; if it is a grade
cell it scores 0 (an error output, as nbgrader gives a failing cell). Both are recorded in
`INCIDENTS` and logged in French for the trainer. `FastExecute.execute_other_cells = True` is the
explicit opt-in to nbgrader's stock kernel execution for notebooks holding such cells.
"""

from __future__ import annotations

import ast
import contextlib
import io
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Unicode

GRADE_CALL_PREFIX = "grade("
UNKNOWN_ENAME = "CelluleNonReconnue"
UNKNOWN_EVALUE = (
    "Cette cellule n'est pas une cellule de correction générée par course : "
    "elle n'a pas été exécutée et compte 0 point."
)
# Warnings that Python's default filters hide in a kernel: they never reach its stderr.
_SILENT_WARNINGS = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)


@dataclass(frozen=True)
class Incident:
    """A cell that was not one of ours, for the trainer's report."""

    learner_id: str
    module_id: str
    cell_id: str
    graded: bool  # a grade cell (scored 0) or another code cell (just not run)

    def french(self) -> str:
        if self.graded:
            return (
                f"la cellule de correction « {self.cell_id} » a été modifiée : "
                "non exécutée, 0 point"
            )
        return f"une cellule de code inconnue (« {self.cell_id} ») n'a pas été exécutée"


# Filled by every FastExecute in this process; the batch run reads and clears it.
INCIDENTS: list[Incident] = []

_EXPECTED: dict[tuple[str, str], dict[str, tuple[str, bool]]] = {}


def expected_cells(project_root: Path, module_id: str) -> dict[str, tuple[str, bool]]:
    """cell id -> (source, is a grade cell) for every code cell `course.content.notebooks` generates.

    Built from the module's `evaluation.toml` once per process, so a cell is ours only if it is,
    character for character, what `build_evaluation_notebook` would write today.
    """
    cache_key = (str(project_root), module_id)
    if cache_key not in _EXPECTED:
        from course.content.notebooks import build_evaluation_notebook
        from course.settings import Project

        module = Project(project_root).catalogue.get(module_id)
        cells = {}
        for cell in build_evaluation_notebook(module).cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and "grade_id" in meta:
                cells[meta["grade_id"]] = (cell.source, bool(meta.get("grade")))
        _EXPECTED[cache_key] = cells
    return _EXPECTED[cache_key]


def literal_key(source: str) -> Any:
    """The key a generated grade cell passes to `grade`, evaluated as Python would evaluate it.

    The cell is `grade(<literal>)` between fixed lines; `ast.literal_eval` computes exactly the
    value Python's compiler gives that literal (and raises where running it would raise).
    """
    call = next(line for line in source.splitlines() if line.startswith(GRADE_CALL_PREFIX))
    return ast.literal_eval(call[len(GRADE_CALL_PREFIX) : -1])


def _error_output(ename: str, evalue: str, tb: list[str]) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=tb)


def _stream(name: str, text: str) -> NotebookNode:
    return NotebookNode(output_type="stream", name=name, text=text)


def run_grade_cell(source: str, folder: Path, execution_count: int) -> list[NotebookNode]:
    """The outputs a kernel records for one of our grade cells, computed in this process.

    A kernel shows the cell's last expression as `execute_result` with IPython's plain-text
    repr (`repr` for a float), anything printed as `stream` outputs, a raised exception as an
    `error`, and a warning that Python's default filters let through on stderr.
    """
    from course.answers.grade_cell import grade

    out, err = io.StringIO(), io.StringIO()
    outputs: list[NotebookNode] = []
    result: Any = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                result = grade(literal_key(source), folder)
        except Exception as exc:  # the kernel would record it and nbgrader give 0
            outputs.append(
                _error_output(type(exc).__name__, str(exc), traceback.format_exception_only(exc))
            )
    for w in caught:
        if not issubclass(w.category, _SILENT_WARNINGS):
            err.write(warnings.formatwarning(w.message, w.category, w.filename, w.lineno))
    streams = [_stream(n, s.getvalue()) for n, s in (("stdout", out), ("stderr", err))]
    outputs[:0] = [s for s in streams if s.text]
    if result is not None and not any(o.output_type == "error" for o in outputs):
        outputs.append(
            NotebookNode(
                output_type="execute_result",
                data={"text/plain": repr(result)},
                metadata={},
                execution_count=execution_count,
            )
        )
    return outputs


class FastExecute(Execute):
    """nbgrader's Execute, minus the kernel, for notebooks made of our generated cells only."""

    execute_other_cells = Bool(
        False,
        help=(
            "Run notebooks holding code cells that course did not generate in a real kernel "
            "(nbgrader's stock behaviour). Off: such cells never run and grade cells among "
            "them score 0."
        ),
    ).tag(config=True)

    project_root = Unicode(
        "",
        help="Project folder (holding nbgrader_config.py and modules/); default: found upwards.",
    ).tag(config=True)

    def _root(self) -> Path:
        if self.project_root:
            return Path(self.project_root)
        from course.settings import find_root

        return find_root(Path.cwd())

    def preprocess(
        self, nb: NotebookNode, resources: dict[str, Any], km: Any = None
    ) -> tuple[NotebookNode, dict[str, Any]]:
        """Fill every cell's outputs as a kernel would, or hand over to stock execution."""
        module_id = resources["nbgrader"]["assignment"]
        learner_id = resources["nbgrader"]["student"]
        expected = expected_cells(self._root(), module_id)
        plan = [self._classify(cell, expected) for cell in nb.cells]
        others = [c for c, kind in zip(nb.cells, plan, strict=True) if kind in ("grade?", "code?")]
        if others and self.execute_other_cells:
            return super().preprocess(nb, resources, km=km)
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        count = 0
        for cell, kind in zip(nb.cells, plan, strict=True):
            if cell.cell_type != "code":
                continue
            cell.outputs = []
            cell.execution_count = None
            cell_id = cell.metadata.get("nbgrader", {}).get("grade_id", cell.get("id", "?"))
            if kind == "grade":
                count += 1
                cell.execution_count = count
                cell.outputs = run_grade_cell(cell.source, folder, count)
            elif kind in ("grade?", "code?"):
                incident = Incident(learner_id, module_id, str(cell_id), kind == "grade?")
                INCIDENTS.append(incident)
                self.log.warning("%s : %s", learner_id, incident.french())
                if incident.graded:
                    cell.outputs = [_error_output(UNKNOWN_ENAME, UNKNOWN_EVALUE, [UNKNOWN_EVALUE])]
        return nb, resources

    @staticmethod
    def _classify(cell: NotebookNode, expected: dict[str, tuple[str, bool]]) -> str:
        """'grade' (ours, evaluated), 'ours' (our non-grade cell, not needed), 'grade?' or
        'code?' (not ours), or 'text' (not code, or empty: a kernel skips it too)."""
        if cell.cell_type != "code" or not cell.source.strip():
            return "text"
        meta = cell.metadata.get("nbgrader", {})
        is_grade = bool(meta.get("grade"))
        source, expected_grade = expected.get(meta.get("grade_id"), (None, False))
        if cell.source == source and is_grade == expected_grade:
            return "grade" if is_grade else "ours"
        return "grade?" if is_grade else "code?"
