"""Modes of learners' data after a real cycle: sticky, unlistable inbound; private copies and
gradebook (it holds every answer key)."""

from __future__ import annotations

import os
import stat

from course.learner.session import LearnerSession
from course.trainer.permissions import INBOUND_MODE
from course.trainer.workflow import collect, grade, release

MODULE = "proteger-ses-donnees"


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _tree(root):
    yield root
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            yield os.path.join(folder, name)


def test_exchange_keeps_sticky_bit_and_hides_inbound(project):
    module = project.catalogue.get(MODULE)
    release(project, module)
    release(project, module)  # nbgrader resets the root's mode when its low bits differ
    course = project.exchange_dir / project.course_id
    inbound = course / "inbound"
    assert _mode(inbound) == INBOUND_MODE == 0o1733
    assert not _mode(inbound) & stat.S_IROTH and not _mode(inbound) & stat.S_IRGRP
    assert _mode(project.exchange_dir) & stat.S_ISVTX
    assert not _mode(course) & (stat.S_IWOTH | stat.S_IWGRP)
    assert not _mode(course / "feedback") & stat.S_IROTH


def test_submissions_autograded_copies_and_gradebook_are_owner_only(project):
    module = project.catalogue.get(MODULE)
    release(project, module)
    session = LearnerSession(project, module, "zoe")
    session.answer(module.questions[0].id, module.questions[0].model_answer())
    session.submit()
    assert _mode(project.exchange_dir / project.course_id / "inbound") == 0o1733
    collect(project, module)
    report = grade(project, module)
    assert report.graded == ["zoe"]
    for sub in ("submitted", "autograded"):
        paths = list(_tree(project.course_dir / sub))
        assert len(paths) > 4
        for path in paths:
            assert _mode(path) & 0o077 == 0, (path, oct(_mode(path)))
    notebook = project.course_dir / "autograded" / "zoe" / MODULE / "evaluation.ipynb"
    assert _mode(notebook) == 0o400  # nbgrader's read-only copy, for its owner only
    gradebook = project.course_dir / "gradebook.db"
    assert _mode(gradebook) == 0o600
    assert not (project.course_dir / "gradebook.db-wal").exists()
