"""The French score table `course grade` ends with, read back from nbgrader's gradebook.

The table is read from the gradebook after the run, not from what the workers said, so the
trainer sees exactly what formgrader and the exports will show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from course.content.catalogue import Module
from course.core.french import points_text
from course.settings import Project
from course.trainer.batch_grade import BatchReport


@dataclass
class ScoreRow:
    learner_id: str
    score: float
    max_score: float
    pending: int  # written answers waiting for a person in formgrader


def score_rows(project: Project, module: Module, learners: list[str]) -> list[ScoreRow]:
    """One row per graded learner, in `learners` order, from one query on the gradebook.

    `course.coordinator.results.submissions` walks the ORM relationships (a few queries per grade: about
    15 s for 600 copies); this selects the same grade columns at once. A grade waits for a
    person as in `course.coordinator.results`: it needs a manual grade and has none yet.
    """
    from nbgrader.api import (
        Assignment,
        Grade,
        Gradebook,
        GradeCell,
        SubmittedAssignment,
        SubmittedNotebook,
        TaskCell,
    )
    from sqlalchemy import select

    from course.coordinator.results import gradebook_url

    grade, notebook = Grade.__table__, SubmittedNotebook.__table__
    submission, assignment = SubmittedAssignment.__table__, Assignment.__table__
    grade_cell, task_cell = GradeCell.__table__, TaskCell.__table__
    query = (
        select(
            submission.c.student_id,
            grade.c.auto_score,
            grade.c.manual_score,
            grade.c.extra_credit,
            grade.c.needs_manual_grade,
            grade_cell.c.max_score,
            task_cell.c.max_score,
        )
        .select_from(grade)
        .join(notebook, grade.c.notebook_id == notebook.c.id)
        .join(submission, notebook.c.assignment_id == submission.c.id)
        .join(assignment, submission.c.assignment_id == assignment.c.id)
        .outerjoin(grade_cell, grade.c.cell_id == grade_cell.c.id)
        .outerjoin(task_cell, grade.c.cell_id == task_cell.c.id)
        .where(assignment.c.name == module.id)
    )
    totals: dict[str, ScoreRow] = {}
    with Gradebook(gradebook_url(project)) as gb:
        for learner, auto, manual, extra, needs_manual, grade_max, task_max in gb.db.execute(query):
            row = totals.setdefault(learner, ScoreRow(learner, 0.0, 0.0, 0))
            # nbgrader's Grade.max_score and Grade.score, computed from the same columns
            row.max_score += float(grade_max if grade_max is not None else task_max or 0.0)
            if needs_manual and manual is None:
                row.pending += 1
            else:
                base = manual if manual is not None else auto
                row.score += float(base + (extra or 0.0)) if base is not None else 0.0
    return [totals[learner] for learner in learners if learner in totals]


def render(project: Project, module: Module, report: BatchReport):
    """A rich renderable: the score table, then copies with remarks, then copies not graded."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Notes : {module.title}", title_justify="left")
    table.add_column("Apprenant")
    table.add_column("Note", justify="right")
    table.add_column("Sur", justify="right")
    table.add_column("Réponses écrites à corriger", justify="right")
    for row in score_rows(project, module, report.graded):
        table.add_row(
            row.learner_id,
            points_text(row.score),
            points_text(row.max_score),
            str(row.pending) if row.pending else "aucune",
        )
    parts: list = [table]
    if report.notes:
        parts.append(Text("\nÀ vérifier (copies corrigées) :", style="bold"))
        for learner, texts in sorted(report.notes.items()):
            parts.append(Text(f"  • {learner} : " + " ; ".join(texts)))
    if report.failed:
        parts.append(Text("\nNon corrigées :", style="bold red"))
        for learner, reason in sorted(report.failed.items()):
            parts.append(Text(f"  • {learner} : {reason}"))
    return Group(*parts)


@contextmanager
def progress_bar(console) -> Iterator[Callable[[int, int, str], None]]:
    """A French progress bar for `grade_module`, without a refresh thread.

    The batch forks its workers after the bar is shown; a forked child must not inherit a
    running thread's locks, so the bar is redrawn on each update instead of by rich's thread.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("Correction"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=console,
        auto_refresh=False,
        transient=True,
    )
    task = bar.add_task("", total=None)

    def update(done: int, total: int, learner: str) -> None:
        bar.update(task, completed=done, total=total, description=learner)
        bar.refresh()

    with bar:
        yield update
