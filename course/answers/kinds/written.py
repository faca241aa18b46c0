"""A written answer (`libre`): the learner's own words, graded by a person in the trainer's
« Corriger » page; no grade cell scores it, so it has no key and no model answer."""

from __future__ import annotations

from typing import Any

from course.answers.answer_rules import WRITTEN_LIMIT, text_answer
from course.answers.kinds.base import WRITTEN_SAMPLE, QuestionKind, QuestionShape
from course.answers.store import Answer


class Written(QuestionKind):
    name = "libre"
    label = "Réponse rédigée, corrigée par la formatrice ou le formateur"
    autograded = False

    def check_answer(self, question: QuestionShape, value: Any) -> Answer:
        return text_answer(value, WRITTEN_LIMIT)

    def verdict(
        self, question: QuestionShape, answer: Answer | None, score: float | None
    ) -> tuple[str, list[str]]:
        verdict, _ = super().verdict(question, answer, score)
        # A person's mark below full is « notée », not « pas la bonne réponse ».
        return ("graded" if verdict == "wrong" else verdict), []

    def sample_right(self, question: QuestionShape, written: str = WRITTEN_SAMPLE) -> Any:
        return written

    def sample_wrong(self, question: QuestionShape, text: str = "réponse fausse") -> Any:
        return ""
