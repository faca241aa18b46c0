"""A workshop's results for its trainer: per learner, per question, per Pix competence.

Read from the gradebook (`course.coordinator.results.submissions`), limited to the workshop's
group, so the page shows what formgrader and the exports show.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from course.content.catalogue import PIX_COMPETENCES, Module
from course.coordinator.results import Submission, submissions, success_rate
from course.core.french import percent, points_text
from course.settings import Project
from course.workshops import Workshop


@dataclass
class Tally:
    label: str
    score: float = 0.0
    max_score: float = 0.0
    count: int = 0  # learners counted
    pending: int = 0  # written answers still to grade

    @property
    def rate(self) -> float | None:
        return success_rate(self.score, self.max_score)

    @property
    def share(self) -> str:
        return percent(self.rate)

    @property
    def points(self) -> str:
        return f"{points_text(self.score)} sur {points_text(self.max_score)}"


@dataclass
class WorkshopResults:
    total: Tally = field(default_factory=lambda: Tally("Tout le groupe"))
    learners: list[Tally] = field(default_factory=list)
    questions: list[Tally] = field(default_factory=list)
    competences: list[Tally] = field(default_factory=list)


def workshop_results(project: Project, workshop: Workshop, module: Module) -> WorkshopResults:
    names = {lr.id: lr.name for lr in project.roster().learners()}
    subs: list[Submission] = [
        s for s in submissions(project, module) if s.learner_id in workshop.learner_ids
    ]
    results = WorkshopResults()
    questions = {q.id: Tally(q.prompt) for q in module.questions}
    competences = {c: Tally(f"{c} {PIX_COMPETENCES.get(c, '')}") for c in module.competences}
    for sub in subs:
        person = Tally(names.get(sub.learner_id, sub.learner_id), count=1)
        for q in module.questions:
            result = sub.questions.get(q.id)
            if result is None:
                continue
            for tally in (person, questions[q.id], competences[q.competence], results.total):
                tally.max_score += result.max_score
                tally.score += result.score or 0.0
                tally.pending += result.score is None
            questions[q.id].count += 1
        results.learners.append(person)
    results.learners.sort(key=lambda t: t.label.casefold())
    results.total.count = len(results.learners)
    results.questions = list(questions.values())
    results.competences = list(competences.values())
    return results
