"""Steps in order (`etapes`): the steps of a procedure, shown mixed up, that the learner puts
in order with « Monter » / « Descendre » buttons (no drag-and-drop: a keyboard and a screen
reader do it as well as a mouse).

`answer` lists the steps in the right order; `choices`, optional, is the order they are first
shown in (by default, the steps sorted alphabetically, or reversed if that is already the
right order). Right only in exactly the right order (Pix's rule for a whole procedure); a
partly right answer earns nothing, but the learner sees which steps were in their place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from course.answers.answer_rules import AnswerRefused
from course.answers.kinds.base import QuestionKind, QuestionShape
from course.answers.store import Answer

NOT_THE_STEPS = "Cette liste ne contient pas les étapes de la question. Rechargez la page."


def shown_order(question: QuestionShape) -> list[str]:
    """The steps as the page first shows them: never already in the right order."""
    if question.choices:
        return list(question.choices)
    steps = sorted(question.answer, key=str.casefold)
    return steps if steps != list(question.answer) else list(reversed(question.answer))


class StepsInOrder(QuestionKind):
    name = "etapes"
    label = "Simulation : remettre des étapes dans l'ordre"
    several_parts = True

    def problems(self, question: QuestionShape) -> list[str]:
        steps = list(question.answer)
        if len(steps) < 3:
            return ["il faut au moins trois étapes dans « answer », dans le bon ordre."]
        if len(set(steps)) != len(steps):
            return ["deux étapes identiques."]
        if question.choices and sorted(question.choices) != sorted(steps):
            return ["« choices » doit contenir les mêmes étapes que « answer »."]
        if question.choices and list(question.choices) == steps:
            return ["« choices » montre déjà le bon ordre : mélangez les étapes."]
        return []

    def scene_texts(self, question: QuestionShape) -> list[tuple[str, str, bool]]:
        return [(f"étape {n}", step, False) for n, step in enumerate(question.answer, 1)]

    def public_scene(self, question: QuestionShape) -> dict[str, Any]:
        return {"steps": shown_order(question)}

    def model_answer(self, question: QuestionShape) -> Any:
        return list(question.answer)

    def check_answer(self, question: QuestionShape, value: Any) -> Answer:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise AnswerRefused(NOT_THE_STEPS)
        if value and sorted(value) != sorted(question.answer):
            raise AnswerRefused(NOT_THE_STEPS)
        return list(value)

    def right(self, expected: Sequence, answer: Answer) -> bool:
        return isinstance(answer, list) and list(answer) == list(expected)

    def verdict(
        self, question: QuestionShape, answer: Answer | None, score: float | None
    ) -> tuple[str, list[str]]:
        verdict, _ = super().verdict(question, answer, score)
        if verdict == "wrong" and isinstance(answer, list):
            placed = [
                f"{n}. {step}"
                for n, (step, right) in enumerate(zip(answer, question.answer, strict=False), 1)
                if step == right
            ]
            if placed:
                return "partial", placed
        return verdict, []

    def described(self, question: QuestionShape, answer: Answer | None) -> list[str]:
        return [f"{n}. {step}" for n, step in enumerate(self.shown(answer), 1)]

    def feedback_lines(self, question: QuestionShape, answer: Answer | None) -> list[str]:
        given = answer if isinstance(answer, list) else []
        return [
            f"{'✔' if n < len(given) and given[n] == step else '✘'} Étape {n + 1} : {step}"
            for n, step in enumerate(question.answer)
        ]

    def sample_wrong(self, question: QuestionShape, text: str = "réponse fausse") -> Any:
        return shown_order(question)
