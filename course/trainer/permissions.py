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


def _owner_only(path: str, *, folder: bool) -> None:
    mode = os.stat(path).st_mode & 0o7777
    os.chmod(path, (mode & 0o700) | (PRIVATE_DIR if folder else 0))


def make_private(path: Path) -> None:
    """Remove every group and other permission on `path` and below (the owner keeps theirs,
    e.g. nbgrader's read-only autograded files stay read-only; folders stay searchable)."""
    if not path.exists():
        return
    _owner_only(str(path), folder=path.is_dir())
    for folder, dirs, files in os.walk(path):
        for name in dirs:
            _owner_only(os.path.join(folder, name), folder=True)
        for name in files:
            _owner_only(os.path.join(folder, name), folder=False)


def secure_gradebook(project: Project) -> None:
    """The SQLite gradebook and its journal files, readable by the trainer only."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        path = project.course_dir / f"gradebook.db{suffix}"
        if path.exists():
            path.chmod(PRIVATE_FILE)
