"""When a learner was last seen signing in or opening a page, for the trainer's live progress.

Voilà knows nothing of who views a page, and sign-in happens in each page's kernel. The roster
marks the moment a code or a personal link proved a learner (`mark_seen`): the modification
time of an empty file `var/learners/<id>/.seen`, so kernels never share a file to write.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from course.core.ids import InvalidLearnerId, check_learner_id

SEEN_FILE = ".seen"


def mark_seen(data_dir: Path, learner_id: str) -> None:
    """Record that this learner just signed in (never fails a sign-in)."""
    try:
        path = Path(data_dir) / "learners" / check_learner_id(learner_id) / SEEN_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    except (OSError, InvalidLearnerId):
        pass


def last_seen(data_dir: Path, learner_id: str) -> datetime | None:
    try:
        path = Path(data_dir) / "learners" / check_learner_id(learner_id) / SEEN_FILE
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except (OSError, InvalidLearnerId):
        return None
