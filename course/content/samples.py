"""Answers of known worth for any question: the key, the key typed carelessly, a wrong answer.

`course check`'s sandbox, the nbgrader chain's tests and `benchmarks/autograde_speed.py` answer
modules the way learners do; they share these so that "right" and "wrong" mean one thing. Each
question's kind (`course.answers.kinds`) makes its own samples.
"""

from __future__ import annotations

from typing import Any

from course.answers.kinds.base import WRITTEN_SAMPLE as WRITTEN
from course.answers.kinds.base import careless
from course.content.catalogue import Question

__all__ = ["WRITTEN", "careless", "right", "sloppy", "wrong"]


def right(q: Question, written: str = WRITTEN) -> Any:
    """The key as the module gives it (a QCM's boxes in another order: order does not count)."""
    return q.kind.sample_right(q, written)


def sloppy(q: Question, written: str = WRITTEN) -> Any:
    """The key typed carelessly where typing counts (Pix's tolerances accept it)."""
    return q.kind.sample_careless(q, written)


def wrong(q: Question, text: str = "réponse fausse") -> Any:
    """An answer worth nothing; a QRO-CM with one field wrong is wrong as a whole."""
    return q.kind.sample_wrong(q, text)
