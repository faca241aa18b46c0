"""The package's rooms and what each may import, read from the import statements themselves.

`MAY_IMPORT` is the table of docs/architecture.md (« Folders », column « may import »), and a
test checks the two say the same. Every import counts, at the top of a file or inside a function
(a lazy import is still a dependency). A room always uses its own modules. A row lists rooms
(`content`) and single modules (`course.trainer.submission`: of the trainer's side, learner pages
use the submission only); such a single-module door must really be used, so the table and the
docs stay true when a door closes.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "course"
ARCHITECTURE = ROOT / "docs" / "architecture.md"

# The shared modules at the top of the package: the project, its group, sessions, fonts...
SHARED = {"settings", "fonts", "coursedir", "lacoop"}
ROOMS = (
    "core", "shared", "workshops", "web", "answers", "content", "learner", "trainer",
    "coordinator", "cli", "server", "access", "hub", "sync",
)  # fmt: skip
EVERYTHING = frozenset(ROOMS)
MAY_IMPORT: dict[str, frozenset[str]] = {
    "core": frozenset(),
    # `Project` opens the catalogue, the workshop book and the roster on first use.
    "shared": frozenset(
        {"core", "course.content.catalogue", "course.workshops", "course.access.roster"}
    ),
    "workshops": frozenset({"core", "shared"}),  # `upgrade(project)` names a `Project`
    "web": frozenset({"core", "shared", "access"}),  # a space asks who is there
    "answers": frozenset({"core"}),
    "content": frozenset({"core", "shared", "answers"}),
    # Learner pages ask `access` who the learner is.
    "learner": frozenset(
        {"core", "shared", "workshops", "access", "content", "answers", "course.trainer.submission"}
    ),
    "trainer": EVERYTHING - {"cli", "server"},  # the server serves the trainer's space
    "coordinator": frozenset(
        {"core", "shared", "workshops", "access", "content", "answers", "web", "sync"}
    ),
    "cli": EVERYTHING,
    # Serving (only `cli` starts it), and who a request is.
    "server": EVERYTHING - {"cli"},
    "access": frozenset({"core", "shared", "workshops", "web"}),
    # The hub checks learners against their site's roster and names them as `access` says.
    "hub": frozenset({"core", "shared", "access"}),
    # Shared by the laptop and the coordination side: payloads read without trusting them.
    "sync": frozenset({"core"}),
}
# `course check` proves a module works by running it as its users would: the served pages, the
# learner's session and the trainer's nbgrader cycle, in a sandbox copy of the project.
EXEMPT = {"course/content/check/sandbox.py"}


def room_of(name: str) -> str | None:
    """The room of a dotted name under `course` (None outside the package)."""
    parts = name.split(".")
    if parts[0] != "course":
        return None
    if len(parts) == 1 or parts[1] in SHARED or parts[1].startswith("__"):
        return "shared"
    return parts[1]


def room_of_file(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return "shared" if len(rel.parts) == 1 else rel.parts[0]


def imports_of(path: Path) -> list[tuple[str, str]]:
    """(module as written, full name) of every absolute import, at any depth of the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.module, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name, a.name) for a in node.names]
    return found


def allowed(room: str, full: str) -> bool:
    target = room_of(full)
    if target is None or target == room:
        return True
    doors = MAY_IMPORT[room]
    return target in doors or any(full == d or full.startswith(d + ".") for d in doors)


def package_files() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py") if str(p.relative_to(PACKAGE.parent)) not in EXEMPT
    )


def forbidden() -> list[str]:
    bad = []
    for path in package_files():
        room = room_of_file(path)
        for module, full in imports_of(path):
            if not allowed(room, full):
                bad.append(f"{path.relative_to(PACKAGE.parent)} imports {module}")
    return sorted(set(bad))


def unused_doors() -> list[str]:
    """Single-module doors of the table no file of their room goes through any more."""
    used = {(room_of_file(p), full) for p in package_files() for _, full in imports_of(p)}
    existing = {room_of_file(p) for p in package_files()}
    return [
        f"{room} → {door}"
        for room, doors in MAY_IMPORT.items()
        if room in existing
        for door in sorted(doors)
        if door.startswith("course.")
        and not any(r == room and (f == door or f.startswith(door + ".")) for r, f in used)
    ]


def test_every_import_goes_through_a_door_of_the_table():
    assert forbidden() == []


def test_every_single_module_door_is_really_used():
    # When one fails, the door closed: take it out of MAY_IMPORT and of docs/architecture.md.
    assert unused_doors() == []


def test_every_folder_and_top_module_of_the_package_is_a_room():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    top = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert folders <= set(ROOMS), folders - set(ROOMS)
    assert top <= SHARED, top - SHARED


def test_the_check_sees_forbidden_imports_at_any_depth(tmp_path, monkeypatch):
    learner = tmp_path / "course" / "learner"
    learner.mkdir(parents=True)
    (learner / "sneaky.py").write_text("from course.trainer.workflow import collect\n")
    (learner / "lazy.py").write_text("def f():\n    import course.coordinator.export\n")
    (learner / "door.py").write_text("from course.trainer import submission\n")
    core = tmp_path / "course" / "core"
    core.mkdir()
    (core / "low.py").write_text("from course import settings\n")
    (tmp_path / "course" / "settings.py").write_text("from course.learner import pages\n")
    monkeypatch.setattr(f"{__name__}.PACKAGE", tmp_path / "course")
    assert forbidden() == [
        "course/core/low.py imports course",
        "course/learner/lazy.py imports course.coordinator.export",
        "course/learner/sneaky.py imports course.trainer.workflow",
        "course/settings.py imports course.learner",
    ]
    assert "learner → course.trainer.submission" not in unused_doors()


# ---------------------------------------------------------------------------------------------
# docs/architecture.md says the same


def folder_table(markdown: str) -> dict[str, frozenset[str]]:
    """The « Folders » table of the architecture page: room → what its row says it may import.

    A row's room is its first path (`course/learner/` → learner; a top module → shared). In the
    « may import » cell, remarks in parentheses are ignored; « anything » means every room
    (« anything but `cli` » all but those named), « nothing of ours » none, else the names in
    backquotes.
    """
    section = markdown.split("\n## Folders\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `course/")]
    table: dict[str, frozenset[str]] = {}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        first = re.search(r"`course/([^`/]+)", cells[0])
        assert first, row
        name = first.group(1)
        room = "shared" if name.endswith(".py") else name
        assert room not in table, f"two rows for {room}"
        cell = re.sub(r"\([^)]*\)", "", cells[-1])
        names = frozenset(re.findall(r"`([^`]+)`", cell))
        if cell.strip().startswith("anything"):
            table[room] = EVERYTHING - names
        elif cell.strip().startswith("nothing of ours"):
            table[room] = frozenset()
        else:
            table[room] = names
    return table


def test_the_architecture_page_has_the_same_table():
    documented = folder_table(ARCHITECTURE.read_text(encoding="utf-8"))
    existing = {room_of_file(p) for p in package_files()}
    assert existing <= set(documented), f"rooms without a row: {existing - set(documented)}"
    assert {r: MAY_IMPORT[r] for r in documented} == documented


def test_the_table_parser_reads_every_form():
    page = (
        "# A\n\n## Folders\n\n| folder | may import |\n|---|---|\n"
        "| `course/core/` | nothing of ours |\n"
        "| `course/settings.py`, `identity.py` | `core` (and `web`, not read) |\n"
        "| `course/trainer/` | anything but `cli` |\n"
        "| `course/learner/` | `core`, `answers`, only `course.trainer.submission` |\n"
        "\n## Next\n| `course/web/` | `core` |\n"
    )
    assert folder_table(page) == {
        "core": frozenset(),
        "shared": {"core"},
        "trainer": EVERYTHING - {"cli"},
        "learner": {"core", "answers", "course.trainer.submission"},
    }


def test_no_file_of_the_package_is_over_400_lines():
    long = {
        str(p.relative_to(PACKAGE.parent)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
