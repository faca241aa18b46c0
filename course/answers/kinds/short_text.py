"""Short typed answers: one (`qroc`) or one per labelled field (`qrocm`, right only when every
field is right). Both are matched with Pix's tolerances (`course.answers.matching`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from course.answers.answer_rules import SHORT_LIMIT, AnswerRefused, text_answer, too_long
from course.answers.kinds.base import QuestionKind, QuestionShape, careless
from course.answers.matching import matches_any
from course.answers.store import Answer


class ShortText(QuestionKind):
    name = "qroc"
    label = "Réponse courte à écrire"

    def problems(self, question: QuestionShape) -> list[str]:
        return [] if question.answer else ["la bonne réponse (« answer ») manque."]

    def model_answer(self, question: QuestionShape) -> Any:
        return question.answer[0]

    def accepted_texts(self, question: QuestionShape) -> list[str]:
        return list(question.answer)

    def check_answer(self, question: QuestionShape, value: Any) -> Answer:
        return text_answer(value, SHORT_LIMIT)

    def right(self, expected: Sequence, answer: Answer) -> bool:
        return isinstance(answer, str) and matches_any(answer, expected)

    def sample_careless(self, question: QuestionShape, written: str = "") -> Any:
        return careless(question.answer[0])


class ShortFields(QuestionKind):
    name = "qrocm"
    label = "Plusieurs réponses courtes à écrire"
    several_parts = True

    def problems(self, question: QuestionShape) -> list[str]:
        if len(question.fields) < 2:
            return ["une question QROCM a au moins deux champs (« fields »)."]
        return []

    def key_answer(self, question: QuestionShape) -> list:
        return [list(accepted) for _label, accepted in question.fields]

    def model_answer(self, question: QuestionShape) -> Any:
        return [accepted[0] for _label, accepted in question.fields]

    def accepted_texts(self, question: QuestionShape) -> list[str]:
        return [a for _label, accepted in question.fields for a in accepted]

    def check_answer(self, question: QuestionShape, value: Any) -> Answer:
        if (
            not isinstance(value, list | tuple)
            or len(value) != len(question.fields)
            or not all(isinstance(v, str) for v in value)
        ):
            raise AnswerRefused("Remplissez chaque case avec du texte.")
        for text in value:
            if len(text) > SHORT_LIMIT:
                raise too_long(SHORT_LIMIT, text)
        return list(value)

    def right(self, expected: Sequence, answer: Answer) -> bool:
        # Pix's QROCM: right only when every field is right; `expected` holds one list of
        # accepted answers per field.
        return (
            isinstance(answer, list)
            and len(answer) == len(expected)
            and all(matches_any(a, accepted) for a, accepted in zip(answer, expected, strict=True))
        )

    def sample_careless(self, question: QuestionShape, written: str = "") -> Any:
        return [careless(a) for a in self.model_answer(question)]

    def sample_wrong(self, question: QuestionShape, text: str = "réponse fausse") -> Any:
        return [*self.model_answer(question)[:-1], text]  # one field wrong: wrong as a whole
