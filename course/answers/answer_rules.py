"""What an answer may be, with the French message a learner sees otherwise.

Widget state is settable by the browser (docs/architecture.md), so anything can arrive as an
answer: a choice that is not offered, a list for a one-choice question, a megabyte of text. The
answers file keeps only answers a learner could have given: a one-choice answer is one of its
choices, a several-choices answer a subset of them, a short answer at most `SHORT_LIMIT`
characters, a written one at most `WRITTEN_LIMIT`. Each kind (`course.answers.kinds`) says
what its answers may be, with the refusals and limits below. Nothing is cut silently: a refused
answer is not stored and the learner is told why, in French, next to the question.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from course.answers.store import Answer
from course.core.errors import UserError

if TYPE_CHECKING:
    from course.answers.kinds import QuestionShape

SHORT_LIMIT = 300
WRITTEN_LIMIT = 5000


class AnswerRefused(UserError, ValueError):
    """An answer that is not stored; the message is French and safe to show the learner."""


NOT_A_CHOICE = "Cette réponse ne fait pas partie des choix. Choisissez dans la liste."
NOT_TEXT = "Écrivez votre réponse avec du texte."


def _number(n: int) -> str:
    """5000 -> "5 000", as French writes it (narrow no-break space)."""
    return f"{n:,}".replace(",", "\u202f")


def too_long(limit: int, text: str) -> AnswerRefused:
    return AnswerRefused(
        f"Votre réponse est trop longue : {_number(len(text))} caractères. "
        f"Elle doit faire {_number(limit)} caractères au plus. Raccourcissez-la, puis continuez."
    )


def text_answer(value: Any, limit: int) -> str:
    """`value` if it is a text of at most `limit` characters (a short or a written answer)."""
    if not isinstance(value, str):
        raise AnswerRefused(NOT_TEXT)
    if len(value) > limit:
        raise too_long(limit, value)
    return value


def check_answer(question: QuestionShape, value: Any) -> Answer:
    """`value` if it is an answer to `question`; AnswerRefused (French) otherwise.

    An empty answer ("" or []) is always allowed: the learner may take an answer back."""
    # Imported here: the kinds use this module's refusals.
    from course.answers.kinds import UnknownKind, kind_of

    try:
        kind = kind_of(question.type)
    except UnknownKind:
        raise AnswerRefused("Cette question ne peut pas recevoir de réponse.") from None
    return kind.check_answer(question, value)
