"""Scores of one answer: pure functions of the key and the answer, shared by every grader.

The grade cells, `course check` and the lesson's immediate feedback all call these, so a learner
is scored the same way wherever the score is computed. Each kind (`course.answers.kinds`) holds
its own rule; these look the kind up from the key's `type`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from course.answers.kinds import kind_of
from course.answers.store import Answer


def is_correct(qtype: str, expected: Sequence, answer: Answer | None) -> bool:
    """Right or wrong, Pix-style: a QCM is right only when exactly the right set is chosen.

    ValueError for a kind a person grades, or a type no kind declares."""
    return kind_of(qtype).is_correct(expected, answer)


def score(key: Mapping[str, Any], answer: Answer | None) -> float:
    """Points earned: the question's points when right, 0 when wrong, empty or malformed."""
    return kind_of(key["type"]).score(key, answer)
