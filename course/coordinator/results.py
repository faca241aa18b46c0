"""Per-question results read from nbgrader's gradebook, for exports, feedback and dashboards.

nbgrader's own CSV export has totals only; coordinators need every question's score, so we read
the gradebook's grades directly (the gradebook stays the one truth for scores).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from course.content.catalogue import Module
from course.settings import Project

RATE_SENTENCE = (
    "Taux de réussite : les points obtenus divisés par les points possibles, toutes questions "
    "comprises ; une réponse rédigée pas encore notée compte 0 point jusqu'à sa note."
)


def success_rate(obtained: float, possible: float) -> float | None:
    """The one success rate of the project (`RATE_SENTENCE`): points obtained over points
    possible, summed over whatever is counted (a learner, a question, a workshop, a site). The
    trainer's results and the coordinator's dashboard both call it, so one workshop reads the
    same rate in both."""
    return obtained / possible if possible else None


@dataclass
class QuestionResult:
    question_id: str
    score: float | None  # None: waits for a person in formgrader
    max_score: float
    comment: str = ""  # the trainer's comment on this cell (formgrader or the trainer space)


class Scored:
    """Totals of one learner's evaluation, from its per-question results."""

    questions: dict[str, QuestionResult]

    @property
    def score(self) -> float:
        return sum(q.score or 0.0 for q in self.questions.values())

    @property
    def max_score(self) -> float:
        return sum(q.max_score for q in self.questions.values())


@dataclass
class Submission(Scored):
    learner_id: str
    module_id: str
    timestamp: str
    questions: dict[str, QuestionResult] = field(default_factory=dict)

    @property
    def needs_manual_grade(self) -> bool:
        return any(q.score is None for q in self.questions.values())


def gradebook_url(project: Project) -> str:
    from nbgrader.apps.baseapp import NbGrader  # noqa: F401  (ensures nbgrader config classes)

    configured = project.config.CourseDirectory.get("db_url")
    return configured or f"sqlite:///{project.course_dir / 'gradebook.db'}"


def submissions(project: Project, module: Module | None = None) -> list[Submission]:
    """Every graded submission in the gradebook, optionally for one module."""
    from nbgrader.api import Gradebook

    if gradebook_url(project).startswith("sqlite:///"):
        if not (project.course_dir / "gradebook.db").exists():
            return []
    out = []
    with Gradebook(gradebook_url(project)) as gb:
        for assignment in gb.assignments:
            if module is not None and assignment.name != module.id:
                continue
            for sub in assignment.submissions:
                result = Submission(
                    learner_id=sub.student.id,
                    module_id=assignment.name,
                    timestamp=sub.timestamp.isoformat() if sub.timestamp else "",
                )
                for nb in sub.notebooks:
                    comments = {c.name: c.manual_comment or "" for c in nb.comments}
                    for g in nb.grades:
                        pending = g.needs_manual_grade and g.manual_score is None
                        score = None if pending else float(g.score)
                        result.questions[g.name] = QuestionResult(
                            g.name, score, g.max_score, comments.get(g.name, "")
                        )
                out.append(result)
    out.sort(key=lambda s: (s.module_id, s.learner_id))
    return out
