"""Pix competences: how many questions a learner took in each, how many they got right, and
their points.

Pix's count (the exports' competence columns): a question counts once it is graded (a written
answer waiting for a person does not count yet); it is right when it earned all its points.
The success rate the pages show is the project's one (`results.success_rate`: points obtained
over points possible, every question of the evaluations sent, a written answer not yet graded
at 0), so a competence's rate reads the same on the dashboard and on the trainer's results.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from course.content.catalogue import PIX_COMPETENCES, Module, Question
from course.coordinator.records import Result
from course.coordinator.results import success_rate


@dataclass
class Tally:
    taken: int = 0  # graded questions (Pix's « questions »)
    right: int = 0  # of which every point earned
    asked: int = 0  # every question of the evaluations sent, blank or not yet graded included
    points: float = 0.0
    possible: float = 0.0

    @property
    def share(self) -> float | None:
        """Pix's share of right answers (the exports' competence columns)."""
        return self.right / self.taken if self.taken else None

    @property
    def rate(self) -> float | None:
        """The project's success rate (`results.success_rate`)."""
        return success_rate(self.points, self.possible)


def question_index(modules: Iterable[Module]) -> dict[tuple[str, str], Question]:
    return {(m.id, q.id): q for m in modules for q in m.questions}


def competence_order(codes: Iterable[str]) -> list[str]:
    return sorted(set(codes), key=lambda c: tuple(int(p) for p in c.split(".")))


def competence_label(code: str) -> str:
    return f"{code} {PIX_COMPETENCES.get(code, '')}".strip()


def tally(
    results: Iterable[Result], index: dict[tuple[str, str], Question]
) -> dict[str, dict[str, Tally]]:
    """learner key -> competence -> Tally, over every given result."""
    found: dict[str, dict[str, Tally]] = {}
    for result in results:
        mine = found.setdefault(result.learner_key, {})
        for qid, outcome in result.questions.items():
            question = index.get((result.module_id, qid))
            if question is None:
                continue
            t = mine.setdefault(question.competence, Tally())
            t.asked += 1
            t.possible += outcome.max_score
            t.points += outcome.score or 0.0
            if outcome.score is None:
                continue
            t.taken += 1
            t.right += outcome.score >= outcome.max_score
    return found


def overall(per_learner: dict[str, dict[str, Tally]]) -> dict[str, Tally]:
    """competence -> Tally summed over learners (a group's success rate)."""
    total: dict[str, Tally] = {}
    for competences in per_learner.values():
        for code, t in competences.items():
            s = total.setdefault(code, Tally())
            s.taken += t.taken
            s.right += t.right
            s.asked += t.asked
            s.points += t.points
            s.possible += t.possible
    return {c: total[c] for c in competence_order(total)}
