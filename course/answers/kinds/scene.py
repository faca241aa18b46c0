"""What the simulation kinds share: reading the items of a scene (messages, links, turns,
fields) as authors write them in TOML, and scoring part by part.

A simulation's screen is authored by people who write no code, so every problem is said in
French and names the item (« message « colis » : le champ « subject » manque. »); `course
check` and `course build` add the file and the question. Scores of partly right simulations
are the question's points times the share of right parts, rounded to the hundredth so a
grade cell, the lesson and the results all print the same number.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, ClassVar

from course.answers.kinds.base import QuestionKind, QuestionShape
from course.answers.store import Answer, is_empty


def texts(value: Any) -> list[str]:
    """A TOML value read as a list of texts ("a" and ["a"] alike; nothing for None)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def items(question_scene: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """The tables under `key` (`[[questions.messages]]`…), only those that are tables."""
    found = question_scene.get(key)
    if not isinstance(found, list):
        return []
    return [item for item in found if isinstance(item, Mapping)]


def item_problems(
    found: Sequence[Mapping[str, Any]],
    what: str,
    required: Sequence[str],
    *,
    least: int = 1,
    key: str = "",
) -> list[str]:
    """Missing fields and ids used twice among a scene's items, in French.

    `what` names an item (« message »), `key` the TOML table when the list is missing."""
    if len(found) < least:
        return [f"il faut au moins {least} {what}s (« [[…{key}]] »)."]
    problems: list[str] = []
    seen: set[str] = set()
    for number, item in enumerate(found, 1):
        name = f"{what} « {item['id']} »" if item.get("id") else f"{what} n° {number}"
        for field in required:
            if item.get(field) in (None, "", []):
                problems.append(f"{name} : le champ « {field} » manque.")
        ident = str(item.get("id", ""))
        if ident and ident in seen:
            problems.append(f"l'identifiant « {ident} » sert à deux {what}s.")
        seen.add(ident)
    return problems


def share_score(points: float, right_parts: int, parts: int) -> float:
    """Points for `right_parts` right out of `parts` (the hundredth, as every view prints)."""
    if parts <= 0:
        return 0.0
    return round(float(points) * right_parts / parts, 2)


def share_verdict(answer: Answer | None, score: float | None, points: float) -> str:
    """right, partial, wrong or empty for a simulation scored part by part."""
    if score is None:
        return "pending"
    if is_empty(answer):
        return "empty"
    if score >= points:
        return "right"
    return "partial" if score > 0 else "wrong"


class PartCredit(QuestionKind):
    """A kind scored part by part (a conversation's turns, a form's fields, a mailbox's
    messages): every part is a gesture of its own, so a partly right answer earns its share.

    A kind says which parts of an answer are right (`right_parts`, in the key's order) and,
    when its described lines are not one per part in order, which part each line tells
    (`part_lines`); right, score and verdict follow from those, alike for every such kind."""

    several_parts: ClassVar[bool] = True

    def right_parts(self, expected: Sequence, answer: Answer | None) -> list[Hashable]:
        """The parts rightly answered (`expected`: the key's `answer`, one entry a part)."""
        raise NotImplementedError

    def part_lines(
        self, question: QuestionShape, answer: Answer | None
    ) -> list[tuple[Hashable, str]]:
        """(part, line) of what the learner did: by default `described`, one line a part."""
        return list(enumerate(self.described(question, answer)))

    def right(self, expected: Sequence, answer: Answer) -> bool:
        return len(self.right_parts(expected, answer)) == len(expected)

    def score(self, key: Mapping[str, Any], answer: Answer | None) -> float:
        expected = key["answer"]
        return share_score(key["points"], len(self.right_parts(expected, answer)), len(expected))

    def verdict(
        self, question: QuestionShape, answer: Answer | None, score: float | None
    ) -> tuple[str, list[str]]:
        verdict = share_verdict(answer, score, question.points)
        if verdict != "partial":
            return verdict, []
        right = set(self.right_parts(self.key_answer(question), answer))
        return verdict, [line for part, line in self.part_lines(question, answer) if part in right]
