"""Answers of known worth for any question: the key, the key typed carelessly, a wrong answer.

`course check`'s sandbox, the nbgrader chain's tests and `benchmarks/autograde_speed.py` answer
modules the way learners do; they share these so that "right" and "wrong" mean one thing.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from course.content.catalogue import Question

WRITTEN = "Je ne donne jamais mon code, j'appelle ma banque."


def careless(text: str) -> str:
    """The key typed the careless way: upper case, no accents, extra spaces."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "  " + text.upper() + " "


def right(q: Question, written: str = WRITTEN) -> Any:
    """The key as the module gives it (a QCM's boxes in another order: order does not count)."""
    if q.type == "qcm":
        return list(reversed(q.answer))
    if q.type == "libre":
        return written
    return q.model_answer()


def sloppy(q: Question, written: str = WRITTEN) -> Any:
    """The key typed carelessly where typing counts (Pix's tolerances accept it)."""
    if q.type == "qroc":
        return careless(q.answer[0])
    if q.type == "qrocm":
        return [careless(a) for a in q.model_answer()]
    return right(q, written)


def wrong(q: Question, text: str = "réponse fausse") -> Any:
    """An answer worth nothing; a QRO-CM with one field wrong is wrong as a whole."""
    if q.type == "qcu":
        return next(c for c in q.choices if c not in q.answer)
    if q.type == "qcm":
        return list(q.choices) if set(q.choices) != set(q.answer) else [q.choices[0]]
    if q.type == "qroc":
        return text
    if q.type == "qrocm":
        return [*q.model_answer()[:-1], text]
    return ""
