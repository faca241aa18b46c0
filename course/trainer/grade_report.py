"""The French score table `course grade` ends with, read back from nbgrader's gradebook.

The table is read from the gradebook after the run, not from what the workers said, so the
trainer sees exactly what formgrader and the exports will show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from course.catalogue import Module
from course.settings import Project
from course.trainer.batch_grade import BatchReport


@dataclass
class ScoreRow:
    learner_id: str
    score: float
    max_score: float
    pending: int  # written answers waiting for a person in formgrader


def score_rows(project: Project, module: Module, learners: list[str]) -> list[ScoreRow]:
    """One row per graded learner, in `learners` order."""
    from course.results import submissions

    by_id = {s.learner_id: s for s in submissions(project, module)}
    rows = []
    for learner in learners:
        sub = by_id.get(learner)
        if sub is None:
            continue
        pending = sum(1 for q in sub.questions.values() if q.score is None)
        rows.append(ScoreRow(learner, sub.score, sub.max_score, pending))
    return rows


def points(value: float) -> str:
    """French number: 7,5 not 7.5."""
    return f"{value:g}".replace(".", ",")


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
            points(row.score),
            points(row.max_score),
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
