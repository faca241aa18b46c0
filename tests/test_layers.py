"""The package's rooms and who may enter them, read from the import statements themselves.

Learner pages run in a fresh kernel on every page view and belong to the learner: they may use
the shared modules (`course.settings`, `course.access.roster`, `course.fonts`, `course.coursedir`),
the content and the answers, but of the trainer's side only the submission. Content and answers
never reach into any user's side.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "course"

ALLOWED = {
    "learner": {"course.trainer.submission"},
    "content": set(),
    "answers": set(),
}
# `course check` proves a module works by running it as its users would: the served pages, the
# learner's session and the trainer's nbgrader cycle, in a sandbox copy of the project.
EXEMPT = {"course/content/check/sandbox.py"}
SIDES = ("course.learner", "course.trainer", "course.coordinator", "course.cli")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def forbidden(room: str) -> list[str]:
    own = f"course.{room}"
    bad = []
    for path in sorted((PACKAGE / room).rglob("*.py")):
        if str(path.relative_to(PACKAGE.parent)) in EXEMPT:
            continue
        for name in imports_of(path):
            other_side = name.startswith(SIDES) and not name.startswith(own)
            if other_side and name not in ALLOWED[room]:
                bad.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    return bad


def test_learner_pages_import_only_the_submission_from_the_trainer_side():
    assert forbidden("learner") == []
    learner_imports = set().union(*(imports_of(p) for p in (PACKAGE / "learner").rglob("*.py")))
    assert "course.trainer.submission" in learner_imports  # the one door is really used


def test_content_and_answers_belong_to_no_user_side():
    assert forbidden("content") == []
    assert forbidden("answers") == []


def test_the_boundary_check_sees_a_forbidden_import(tmp_path, monkeypatch):
    room = tmp_path / "course" / "learner"
    room.mkdir(parents=True)
    (room / "sneaky.py").write_text("from course.trainer.workflow import collect\n")
    monkeypatch.setattr(f"{__name__}.PACKAGE", tmp_path / "course")
    assert forbidden("learner") == ["course/learner/sneaky.py imports course.trainer.workflow"]


def test_no_file_of_the_package_is_over_400_lines():
    long = {
        str(p.relative_to(PACKAGE.parent)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
