"""Learner ids: what a learner's folder, nbgrader student id and every file about them is named.

nbgrader forbids "+" and "*" in student ids; we also refuse anything that could be a path, so an
id read from a link, a form or a bundle can never reach outside its folder.
"""

from __future__ import annotations

import re

from course.core.errors import UserError

LEARNER_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


class InvalidLearnerId(UserError, ValueError):
    """A learner id that could escape its folder or break nbgrader (e.g. '../../etc')."""


def check_learner_id(learner_id: str) -> str:
    """Return the id if it is safe as a folder name and an nbgrader student id, else raise."""
    if not isinstance(learner_id, str) or not LEARNER_ID_PATTERN.match(learner_id):
        raise InvalidLearnerId(
            f"Identifiant d'apprenant invalide : {learner_id!r} "
            "(lettres minuscules sans accent, chiffres et tirets, 40 au plus)."
        )
    return learner_id
