"""nbgrader's gradebook upgrade (`course.trainer.gradebook_upgrade`) on a SQLite gradebook:
nothing to do before the gradebook exists, and nothing changed (no copy made) when it is at
nbgrader's newest revision. (An older gradebook upgraded: tests/hub/test_hub_network.py, on
PostgreSQL.)"""

from __future__ import annotations

from course.trainer.gradebook_upgrade import upgrade_gradebook


def test_a_sqlite_gradebook_not_made_yet_and_one_at_the_newest(essai_project):
    from nbgrader.api import Gradebook

    from course.trainer.nbgrader_setup import ensure_tools_on_path

    path = essai_project.course_dir / "gradebook.db"
    first = upgrade_gradebook(essai_project)
    assert not first.exists and not first.changed
    assert first.french().startswith("Pas encore de carnet de notes nbgrader")
    assert not path.exists()  # not made by the upgrade: nbgrader makes it at first use
    ensure_tools_on_path()
    with Gradebook(f"sqlite:///{path}") as book:
        book.add_student("alice")
    done = upgrade_gradebook(essai_project)
    assert done.exists and not done.changed and done.backup is None
    assert done.after == "e43177bfe90b"
    assert done.french() == "Le carnet de notes nbgrader est déjà à jour (version e43177bfe90b)."
    assert sorted(p.name for p in path.parent.glob("gradebook.db*")) == ["gradebook.db"]
