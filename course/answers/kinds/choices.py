"""Choice questions: one right choice (`qcu`) or several (`qcm`, right only with exactly the right
set, Pix's rule; a partly right answer earns nothing but the learner sees which boxes were right).

Choices are shown in an order drawn for each learner (`display_order`): a learner who always
picks the first choice gets no advantage, and the order stays the same for that learner on a
reload, on the results page and in the PDF. Answers are stored and graded by the choice's text,
never by its position, so the order changes nothing to grading.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from typing import Any

from course.answers.answer_rules import NOT_A_CHOICE, AnswerRefused
from course.answers.kinds.base import QuestionKind, QuestionShape
from course.answers.store import Answer


def choice_problems(question: QuestionShape) -> list[str]:
    """What any choice question's TOML must hold: two distinct choices, answers among them."""
    if len(question.choices) < 2:
        return ["il faut au moins deux choix."]
    if len(set(question.choices)) != len(question.choices):
        return ["deux choix identiques."]
    unknown = [a for a in question.answer if a not in question.choices]
    if unknown:
        return [f"la bonne réponse {unknown} n'est pas dans les choix."]
    return []


def display_order(question_id: str, count: int, learner: str) -> list[int]:
    """The positions of a question's choices in the order `learner` sees them.

    A permutation seeded by the learner and the question: the same on every computer and every
    reload (no stored state), different from one question and one learner to the next. A
    question seen by nobody in particular (the lesson opened without signing in) gets the
    order drawn for the learner "".
    """
    digest = hashlib.sha256(f"{learner}\x1f{question_id}".encode()).digest()
    order = list(range(count))
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(order)
    return order


def ordered_choices(question: QuestionShape, learner: str) -> list[str]:
    """The question's choices as `learner` sees them."""
    return [question.choices[i] for i in display_order(question.id, len(question.choices), learner)]


def in_learner_order(question: QuestionShape, parts: Sequence[str], learner: str) -> list[str]:
    """Some of the question's choices (a learner's boxes), in the order that learner saw them."""
    order = ordered_choices(question, learner)
    rank = {choice: i for i, choice in enumerate(order)}
    return sorted(parts, key=lambda part: rank.get(part, len(order)))


class OneChoice(QuestionKind):
    name = "qcu"
    label = "Une seule bonne réponse"

    def problems(self, question: QuestionShape) -> list[str]:
        found = choice_problems(question)
        if not found and len(question.answer) != 1:
            found.append("une question QCU a exactement une bonne réponse.")
        return found

    def model_answer(self, question: QuestionShape) -> Any:
        return question.answer[0]

    def check_answer(self, question: QuestionShape, value: Any) -> Answer:
        if not isinstance(value, str) or (value and value not in question.choices):
            raise AnswerRefused(NOT_A_CHOICE)
        return value

    def right(self, expected: Sequence, answer: Answer) -> bool:
        return isinstance(answer, str) and answer in expected

    def sample_wrong(self, question: QuestionShape, text: str = "réponse fausse") -> Any:
        return next(c for c in question.choices if c not in question.answer)


class SeveralChoices(QuestionKind):
    name = "qcm"
    label = "Plusieurs bonnes réponses possibles"
    several_parts = True

    def problems(self, question: QuestionShape) -> list[str]:
        found = choice_problems(question)
        if not found and not question.answer:
            found.append("la bonne réponse (« answer ») manque.")
        return found

    def model_answer(self, question: QuestionShape) -> Any:
        return list(question.answer)

    def check_answer(self, question: QuestionShape, value: Any) -> Answer:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise AnswerRefused(NOT_A_CHOICE)
        if len(set(value)) != len(value) or not set(value) <= set(question.choices):
            raise AnswerRefused(NOT_A_CHOICE)
        return [c for c in question.choices if c in value]  # always in the question's order

    def right(self, expected: Sequence, answer: Answer) -> bool:
        return isinstance(answer, list) and set(answer) == set(expected)

    def verdict(
        self, question: QuestionShape, answer: Answer | None, score: float | None
    ) -> tuple[str, list[str]]:
        verdict, _ = super().verdict(question, answer, score)
        if verdict == "wrong" and isinstance(answer, list):
            right = [choice for choice in answer if choice in question.answer]
            if right:
                return "partial", right
        return verdict, []

    def sample_right(self, question: QuestionShape, written: str = "") -> Any:
        return list(reversed(question.answer))  # another order: order does not count

    def sample_wrong(self, question: QuestionShape, text: str = "réponse fausse") -> Any:
        if set(question.choices) != set(question.answer):
            return list(question.choices)
        return [question.choices[0]]
