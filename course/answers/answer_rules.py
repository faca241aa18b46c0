"""What an answer may be, by question type, with the French message a learner sees otherwise.

Widget state is settable by the browser (docs/architecture.md), so anything can arrive as an
answer: a choice that is not offered, a list for a one-choice question, a megabyte of text. The
answers file keeps only answers a learner could have given: a QCU answer is one of its choices,
a QCM answer a subset of them, a short answer at most `SHORT_LIMIT` characters, a written one
at most `WRITTEN_LIMIT`. Nothing is cut silently: a refused answer is not stored and the learner
is told why, in French, next to the question.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from course.answers.store import Answer
from course.core.errors import UserError

SHORT_LIMIT = 300
WRITTEN_LIMIT = 5000


class AnswerRefused(UserError, ValueError):
    """An answer that is not stored; the message is French and safe to show the learner."""


class QuestionShape(Protocol):
    """The public side of a question (`course.content.catalogue.Question` has it)."""

    @property
    def type(self) -> str: ...
    @property
    def choices(self) -> Sequence[str]: ...
    @property
    def fields(self) -> Sequence[Any]: ...


NOT_A_CHOICE = "Cette réponse ne fait pas partie des choix. Choisissez dans la liste."


def _number(n: int) -> str:
    """5000 -> "5 000", as French writes it (narrow no-break space)."""
    return f"{n:,}".replace(",", "\u202f")


def _long(limit: int, text: str) -> AnswerRefused:
    return AnswerRefused(
        f"Votre réponse est trop longue : {_number(len(text))} caractères. "
        f"Elle doit faire {_number(limit)} caractères au plus. Raccourcissez-la, puis continuez."
    )


def check_answer(question: QuestionShape, value: Any) -> Answer:
    """`value` if it is an answer to `question`; AnswerRefused (French) otherwise.

    An empty answer ("" or []) is always allowed: the learner may take an answer back."""
    kind = question.type
    if kind == "qcu":
        if not isinstance(value, str):
            raise AnswerRefused(NOT_A_CHOICE)
        if value and value not in question.choices:
            raise AnswerRefused(NOT_A_CHOICE)
        return value
    if kind == "qcm":
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise AnswerRefused(NOT_A_CHOICE)
        if len(set(value)) != len(value) or not set(value) <= set(question.choices):
            raise AnswerRefused(NOT_A_CHOICE)
        return [c for c in question.choices if c in value]  # always in the question's order
    if kind == "qrocm":
        if (
            not isinstance(value, list | tuple)
            or len(value) != len(question.fields)
            or not all(isinstance(v, str) for v in value)
        ):
            raise AnswerRefused("Remplissez chaque case avec du texte.")
        for text in value:
            if len(text) > SHORT_LIMIT:
                raise _long(SHORT_LIMIT, text)
        return list(value)
    if kind in ("qroc", "libre"):
        if not isinstance(value, str):
            raise AnswerRefused("Écrivez votre réponse avec du texte.")
        limit = SHORT_LIMIT if kind == "qroc" else WRITTEN_LIMIT
        if len(value) > limit:
            raise _long(limit, value)
        return value
    raise AnswerRefused("Cette question ne peut pas recevoir de réponse.")
