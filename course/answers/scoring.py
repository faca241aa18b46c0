"""Scores of one answer: pure functions of the key and the answer, shared by every grader.

The grade cells, `course check` and the lesson's immediate feedback all call these, so a learner
is scored the same way wherever the score is computed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from course.answers.matching import matches_any
from course.answers.store import Answer, clean_answer, is_empty


def is_correct(qtype: str, expected: Sequence, answer: Answer | None) -> bool:
    """Right or wrong, Pix-style: a QCM is right only when exactly the right set is chosen."""
    answer = clean_answer(answer)
    if is_empty(answer):
        return False
    if qtype == "qcu":
        return isinstance(answer, str) and answer in expected
    if qtype == "qcm":
        return isinstance(answer, list) and set(answer) == set(expected)
    if qtype == "qroc":
        return isinstance(answer, str) and matches_any(answer, expected)
    if qtype == "qrocm":
        # Pix's QROCM: right only when every field is right. `expected` holds one list of
        # accepted answers per field.
        return (
            isinstance(answer, list)
            and len(answer) == len(expected)
            and all(matches_any(a, accepted) for a, accepted in zip(answer, expected, strict=True))
        )
    raise ValueError(f"Question type {qtype!r} is not scored automatically")


def score(key: Mapping[str, Any], answer: Answer | None) -> float:
    """Points earned: the question's points when right, 0 when wrong, empty or malformed."""
    points = float(key["points"])
    return points if is_correct(key["type"], key["answer"], answer) else 0.0
