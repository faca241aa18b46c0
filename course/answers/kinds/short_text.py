"""Short typed answers: one (`qroc`) or one per labelled field (`qrocm`, right only when every
field is right). Both are matched as people write (`course.answers.matching`): Pix's
tolerances, lead-ins ignored, contradictions refused; in a `qrocm`, another field's answer
written in a field contradicts it.

The accepted answers (`answer`, per field in a `qrocm`) are the author's variants; `problems`
checks them with the matcher itself, so `course check` refuses a variant the grader would refuse
or one that two fields would both accept."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from course.answers.answer_rules import SHORT_LIMIT, AnswerRefused, text_answer, too_long
from course.answers.kinds.base import QuestionKind, QuestionShape, careless
from course.answers.matching import matches_any, normalize
from course.answers.store import Answer


class ShortText(QuestionKind):
    name = "qroc"
    label = "Réponse courte à écrire"

    def problems(self, question: QuestionShape) -> list[str]:
        if not question.answer:
            return ["la bonne réponse (« answer ») manque."]
        return variant_problems(list(question.answer))

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
        found: list[str] = []
        answers = [list(accepted) for _label, accepted in question.fields]
        for index, (label, accepted) in enumerate(question.fields):
            others = _others(answers, index)
            found += [f"case « {label} » : {p}" for p in variant_problems(list(accepted), others)]
            for other_index, (other_label, other) in enumerate(question.fields):
                if other_index == index or set(map(normalize, other)) == set(
                    map(normalize, accepted)
                ):
                    continue
                found += [
                    f"la réponse « {a} » de la case « {label} » serait aussi acceptée dans "
                    f"la case « {other_label} » : le correcteur ne peut pas les distinguer."
                    for a in accepted
                    if matches_any(a, other, others=_others(answers, other_index))
                ]
        return found

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
            and all(
                matches_any(a, accepted, others=_others(expected, index))
                for index, (a, accepted) in enumerate(zip(answer, expected, strict=True))
            )
        )

    def sample_careless(self, question: QuestionShape, written: str = "") -> Any:
        return [careless(a) for a in self.model_answer(question)]

    def sample_wrong(self, question: QuestionShape, text: str = "réponse fausse") -> Any:
        return [*self.model_answer(question)[:-1], text]  # one field wrong: wrong as a whole


def _others(expected: Sequence, index: int) -> list[str]:
    """The other fields' accepted answers: written in this field, they make it wrong."""
    return [a for i, accepted in enumerate(expected) if i != index for a in accepted]


def variant_problems(accepted: list[str], others: Sequence[str] = ()) -> list[str]:
    """What is wrong with a question's accepted answers, as French sentences: one the grader
    itself would refuse (it holds a negation, another field's answer…). A variant with no letter
    at all is left to `course check`'s key rule, which scores the model answer like nbgrader."""
    return [
        f"la réponse acceptée « {answer} » serait refusée par le correcteur "
        "(elle contient une négation, un autre format ou la réponse d'une autre case)."
        for answer in accepted
        if normalize(answer) and not matches_any(answer, accepted, others=others)
    ]
