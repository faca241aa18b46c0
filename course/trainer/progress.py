"""Live progress of a workshop's group, read from the learners' own files (nothing is copied).

For each learner: when they last signed in (`course.access.presence`), lesson exercises done out of
the lesson's (`lesson.json`), evaluation questions answered (`answers.json`), whether they sent
it, and how far their copy went in the nbgrader cycle (collected, graded, results returned). The
trainer's page polls this every few seconds, so the cycle is read once per poll
(`course.trainer.cycle.cycle_state`: folder listings, never the gradebook), not once per learner.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from course.access.presence import last_seen
from course.answers.store import AnswerStore, is_empty
from course.content.catalogue import Module
from course.core.french import clock
from course.learner.session import LESSON_FILE
from course.settings import Project
from course.trainer.cycle import Cycle, cycle_state
from course.workshops import Workshop

ANSWERS = "answers.json"
RECENT = timedelta(hours=3)


@dataclass
class LearnerProgress:
    id: str
    name: str
    seen: str  # « 9 h 05 » in Paris time, or "" when not signed in lately
    lesson_done: int
    lesson_total: int
    answered: int
    questions: int
    sent: bool
    collected: bool
    graded: bool = False  # this very copy was graded (not an older sending)
    returned: bool = False  # « Rendre les résultats » gave this copy's results back
    locked: str = ""  # « 9 h 10 »: too many wrong codes, signing in by name waits until then

    @property
    def lesson_text(self) -> str:
        return f"{self.lesson_done} sur {self.lesson_total}"

    @property
    def evaluation_text(self) -> str:
        return f"{self.answered} sur {self.questions}"

    @property
    def state_text(self) -> str:
        """Where the learner's evaluation stands, the furthest step first."""
        if self.returned:
            return "Résultats rendus"
        if self.graded:
            return "Corrigée"
        if self.collected:
            return "Ramassée"
        return "Envoyée" if self.sent else "Pas encore envoyée"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(lesson=self.lesson_text, evaluation=self.evaluation_text, state=self.state_text)
        return data


def _hour(moment: datetime | None) -> str:
    if moment is None or datetime.now(UTC) - moment > RECENT:
        return ""
    return clock(moment)


def learner_progress(
    project: Project, module: Module, learner_id: str, name: str, cycle: Cycle | None = None
) -> LearnerProgress:
    """One learner's row; `cycle` read once for the whole group (`group_progress`)."""
    cycle = cycle or cycle_state(project, module)
    workspace = project.workspace(learner_id, module.id)
    practice = {q.id for q in module.practice_questions}
    lesson = (
        AnswerStore(workspace / LESSON_FILE).answers if (workspace / LESSON_FILE).exists() else {}
    )
    store = AnswerStore(workspace / ANSWERS) if (workspace / ANSWERS).exists() else None
    answers = store.answers if store else {}
    return LearnerProgress(
        id=learner_id,
        name=name,
        seen=_hour(last_seen(project.data_dir, learner_id)),
        lesson_done=sum(1 for q, v in lesson.items() if q in practice and not is_empty(v)),
        lesson_total=len(practice),
        answered=sum(1 for q in module.questions if not is_empty(answers.get(q.id))),
        questions=len(module.questions),
        sent=bool(store and store.submitted),
        # Sent again since their copy was collected: « Envoyée », not the old copy's state.
        collected=learner_id in cycle.collected - cycle.sent_again,
        graded=learner_id in cycle.graded - cycle.sent_again,
        returned=learner_id in cycle.released - cycle.sent_again,
    )


def group_progress(
    project: Project, workshop: Workshop, module: Module, cycle: Cycle | None = None
) -> list[LearnerProgress]:
    """Every enrolled learner's row, by first name; pass `cycle` when the caller has it."""
    cycle = cycle or cycle_state(project, module)
    roster = project.roster()
    names = {lr.id: lr.name for lr in roster.learners()}
    rows = [
        learner_progress(project, module, lid, names.get(lid, lid), cycle)
        for lid in sorted(workshop.learner_ids, key=lambda i: (names.get(i) or i).casefold())
        if lid in names
    ]
    locks = roster.locks([row.id for row in rows])
    for row in rows:
        row.locked = clock(locks[row.id]) if row.id in locks else ""
    return rows
