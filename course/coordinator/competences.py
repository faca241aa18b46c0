"""Pix competences: how many questions a learner took in each, and how many they got right.

A question counts once it is graded (a written answer waiting for a person does not count yet);
it is right when it earned all its points, as Pix counts a question right or wrong. The same
counts give a learner's competence profile and a competence's success rate over a group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from course.content.catalogue import PIX_COMPETENCES, Module, Question
from course.coordinator.records import Result


@dataclass
class Tally:
    taken: int = 0
    right: int = 0

    @property
    def share(self) -> float | None:
        return self.right / self.taken if self.taken else None


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
            if question is None or outcome.score is None:
                continue
            t = mine.setdefault(question.competence, Tally())
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
    return {c: total[c] for c in competence_order(total)}
