"""nbgrader's three hottest gradebook lookups, with their SQL statements built once per worker.

`Gradebook.find_grade`, `find_graded_cell` and `find_source_cell` are called for every cell of
every copy (about 50 times a copy). Each builds a legacy `Query` with up to six joins and four
filters before SQLAlchemy even looks in its compiled-statement cache, and building it cost more
than running it (docs/architecture.md, « Grading cost »). Here the same joins and filters are
built once as a `select` with bound parameters and executed through the same ORM session, so
the rows, the identity map, autoflush and the objects returned are what nbgrader's own method
gives. When the grade-cell statement finds nothing, nbgrader's original method runs (it then
looks for a task cell and raises `MissingEntry` exactly as it always did).

Installed in `course grade`'s worker processes only, by `course.trainer.speedups.apply`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import NoResultFound


def _grade_statement(api: Any) -> Select:
    """`find_grade`'s grade-cell query (nbgrader/api.py), with bound parameters."""
    return (
        select(api.Grade)
        .join(api.GradeCell, api.GradeCell.id == api.Grade.cell_id)
        .join(api.SubmittedNotebook, api.SubmittedNotebook.id == api.Grade.notebook_id)
        .join(api.Notebook, api.Notebook.id == api.SubmittedNotebook.notebook_id)
        .join(
            api.SubmittedAssignment,
            api.SubmittedAssignment.id == api.SubmittedNotebook.assignment_id,
        )
        .join(api.Assignment, api.Assignment.id == api.SubmittedAssignment.assignment_id)
        .join(api.Student, api.Student.id == api.SubmittedAssignment.student_id)
        .filter(
            api.GradeCell.name == bindparam("cell"),
            api.Notebook.name == bindparam("notebook"),
            api.Assignment.name == bindparam("assignment"),
            api.Student.id == bindparam("student"),
        )
    )


def _cell_statement(api: Any, cell_class: Any) -> Select:
    """`find_graded_cell`'s / `find_source_cell`'s query for `cell_class`, bound parameters."""
    return (
        select(cell_class)
        .join(api.Notebook, api.Notebook.id == cell_class.notebook_id)
        .join(api.Assignment, api.Assignment.id == api.Notebook.assignment_id)
        .filter(
            cell_class.name == bindparam("cell"),
            api.Notebook.name == bindparam("notebook"),
            api.Assignment.name == bindparam("assignment"),
        )
    )


def _prepared(original: Callable[..., Any], statement: Select, names: tuple[str, ...]) -> Any:
    def find(self: Any, *args: Any, **kwargs: Any) -> Any:
        """nbgrader's lookup through a statement built once; the original on no result."""
        if kwargs or len(args) != len(names):
            return original(self, *args, **kwargs)
        try:
            return self.db.execute(statement, dict(zip(names, args, strict=True))).scalar_one()
        except NoResultFound:
            return original(self, *args)

    find.__doc__ = original.__doc__
    return find


def install() -> None:
    """Replace the three lookups on nbgrader's `Gradebook` in this process."""
    import nbgrader.api as api

    gradebook = api.Gradebook
    cells = ("cell", "notebook", "assignment")
    gradebook.find_grade = _prepared(
        gradebook.find_grade, _grade_statement(api), (*cells, "student")
    )
    gradebook.find_graded_cell = _prepared(
        gradebook.find_graded_cell, _cell_statement(api, api.GradeCell), cells
    )
    gradebook.find_source_cell = _prepared(
        gradebook.find_source_cell, _cell_statement(api, api.SourceCell), cells
    )
