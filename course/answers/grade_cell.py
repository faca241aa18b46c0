"""What an nbgrader grade cell calls. Deliberately tiny: no widgets, no output, no warnings.

nbgrader gives 0 for any stderr output and full marks for a cell with no output (see
docs/architecture.md, « Scoring rules of a grade cell »), so `grade` returns a number, which must
be the cell's last expression, and never prints. It reads the answers file copied next to the autograded notebook.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from course.answers.scoring import score
from course.answers.store import ANSWERS_FILE


def read_answers(folder: Path | str = ".") -> dict[str, Any]:
    """The learner's answers, or none at all if the file is missing or unreadable."""
    try:
        data = json.loads((Path(folder) / ANSWERS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    answers = data.get("answers") if isinstance(data, dict) else None
    return answers if isinstance(answers, dict) else {}


def grade(key: Mapping[str, Any], folder: Path | str = ".") -> float:
    """Score one question from the answers file; missing file or answer scores 0."""
    return score(key, read_answers(folder).get(key["id"]))
