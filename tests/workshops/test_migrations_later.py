"""A revision after the first, written as a developer will write one, in a copy of the shipped
scripts folder: it runs after the first on a site's database from before migrations, keeps every
row, and the copy of the file is named after the revision it came from; a revision that fails
leaves the database exactly as it was (one transaction, SQLite's DDL included); and the shipped
software refuses, in French, a database that a newer one has upgraded."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from test_migrations import BEFORE, rows
from traitlets.config import Config

from course.workshops import WorkshopBook
from course.workshops.migrations import FOLDER, HEAD, MigrationError, current_revision, upgrade_url

LATER = "3c8b749dad20"
ROOM = f'''"""The workshop's room."""

import sqlalchemy as sa
from alembic import op

revision = "{LATER}"
down_revision = "{HEAD}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("course_workshops") as batch_op:
        batch_op.add_column(sa.Column("room", sa.String(length=100), nullable=True))
    op.execute("UPDATE course_workshops SET room = 'Salle 1'")
    FAILURE


def downgrade():
    with op.batch_alter_table("course_workshops") as batch_op:
        batch_op.drop_column("room")
'''


def scripts_with_room(tmp_path: Path, failing: bool = False) -> Path:
    folder = tmp_path / "migrations"
    shutil.copytree(FOLDER, folder, ignore=shutil.ignore_patterns("__pycache__"))
    failure = 'op.execute("UPDATE no_such_table SET x = 1")' if failing else ""
    (folder / "versions" / f"{LATER}_room.py").write_text(ROOM.replace("FAILURE", failure))
    return folder


def schema(path: Path) -> list[tuple]:
    with closing(sqlite3.connect(path)) as con:
        return con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def test_a_later_revision_runs_after_the_first_and_keeps_every_row(tmp_path):
    database = tmp_path / "ateliers.sqlite"
    shutil.copy(BEFORE, database)
    url = f"sqlite:///{database}"
    assert upgrade_url(url).after == HEAD  # what this version of the software ships
    before = rows(database)

    done = upgrade_url(url, folder=scripts_with_room(tmp_path))
    assert (done.before, done.after, done.created) == (HEAD, LATER, False)
    assert done.backup is not None and done.backup.name.startswith(f"ateliers.sqlite.avant-{HEAD}-")
    assert rows(done.backup) == before
    assert rows(database) == before
    with closing(sqlite3.connect(database)) as con:
        assert con.execute("SELECT room FROM course_workshops").fetchall() == [("Salle 1",)] * 3
    assert current_revision(url) == LATER

    # The software as shipped does not know that revision: the database is newer than it.
    with pytest.raises(MigrationError, match="mise à jour par une version plus récente"):
        upgrade_url(url)
    config = Config()
    config.WorkshopSettings.db_url = url
    with pytest.raises(
        MigrationError, match=f"version plus récente du logiciel \\(version {LATER}"
    ):
        WorkshopBook(tmp_path, config=config)


def test_a_failing_revision_leaves_the_database_as_it_was(tmp_path):
    database = tmp_path / "ateliers.sqlite"
    shutil.copy(BEFORE, database)
    url = f"sqlite:///{database}"
    before, tables = rows(database), schema(database)
    with pytest.raises(MigrationError, match="a échoué ; elle est restée telle quelle") as caught:
        upgrade_url(url, folder=scripts_with_room(tmp_path, failing=True))
    assert "no_such_table" in str(caught.value)
    assert schema(database) == tables  # not even the first revision's version table
    assert rows(database) == before and current_revision(url) is None
