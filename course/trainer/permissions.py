"""File modes for learners' data: the exchange, submissions, autograded copies, the gradebook.

A security review found the exchange world-writable without a sticky bit and the gradebook,
which holds every answer key, world-readable. nbgrader sets the modes it creates once and
leaves existing folders alone, so we set ours after each step that writes learners' data.
"""

from __future__ import annotations

import os
from pathlib import Path

from course.settings import Project

# Root: nbgrader's release resets it to 0o777 unless those bits already match, and compares
# without the sticky bit, so 0o1777 stays: anyone may create, nobody may remove others' files.
EXCHANGE_ROOT_MODE = 0o1777
# Inbound: learners drop submissions (write + search) but cannot list, read or remove others'.
INBOUND_MODE = 0o1733
# Outbound: the released notebook, readable by all learners.
OUTBOUND_MODE = 0o755
# Feedback: files named by a hash only their learner knows, so not listable (nbgrader's own).
FEEDBACK_MODE = 0o711
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def secure_exchange(project: Project) -> None:
    """Create the exchange folders nbgrader expects, with the modes above."""
    course = project.exchange_dir / project.course_id
    for sub, mode in (("outbound", OUTBOUND_MODE), ("inbound", INBOUND_MODE)):
        (course / sub).mkdir(parents=True, exist_ok=True)
        (course / sub).chmod(mode)
    (course / "feedback").mkdir(exist_ok=True)
    (course / "feedback").chmod(FEEDBACK_MODE)
    course.chmod(OUTBOUND_MODE)
    project.exchange_dir.chmod(EXCHANGE_ROOT_MODE)


def make_private(path: Path) -> None:
    """Owner-only modes on `path` and everything below it (folders 0o700, files 0o600)."""
    if not path.exists():
        return
    if path.is_file():
        path.chmod(PRIVATE_FILE)
        return
    path.chmod(PRIVATE_DIR)
    for folder, dirs, files in os.walk(path):
        for name in dirs:
            os.chmod(os.path.join(folder, name), PRIVATE_DIR)
        for name in files:
            os.chmod(os.path.join(folder, name), PRIVATE_FILE)


def secure_gradebook(project: Project) -> None:
    """The SQLite gradebook and its journal files, readable by the trainer only."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        path = project.course_dir / f"gradebook.db{suffix}"
        if path.exists():
            path.chmod(PRIVATE_FILE)
