"""Migrations of the workshops database on real SQLite files: a site's database from before
migrations (`tests/fixtures/databases/`, made by the code of 7 December 2026) upgraded by the real
`course upgrade-db`, a new database, a second upgrade, a file that is no database; and the models
checked against the migrations, so a column added without its revision fails here."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, create_engine, select
from traitlets.config import Config

from course.coordinator.store import Base as CoordinatorBase
from course.coordinator.store import ImportedBundle, ImportedLearner, ImportedLesson, ImportedResult
from course.workshops import WorkshopBook
from course.workshops.migrations import (
    HEAD,
    TABLES,
    VERSION_TABLE,
    MigrationError,
    alembic_config,
    current_revision,
    head_revision,
    is_behind,
    only_ours,
    upgrade_url,
)
from course.workshops.model import Base as WorkshopBase

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "databases"
BEFORE = FIXTURES / "ateliers-2026-12-07.sqlite"
REPO = Path(__file__).resolve().parents[2]


def course(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from course.cli import main; main()", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True)


def models() -> MetaData:
    """Every table the models describe, workshops' and coordinator's, in one MetaData."""
    together = MetaData()
    for base in (WorkshopBase, CoordinatorBase):
        for table in base.metadata.tables.values():
            table.to_metadata(together)
    return together


def differences(url: str, metadata: MetaData) -> list:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            opts = {"compare_type": True, "version_table": VERSION_TABLE, "include_name": only_ours}
            return compare_metadata(MigrationContext.configure(connection, opts=opts), metadata)
    finally:
        engine.dispose()


def rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of ours the fixture had, in id order, in the columns it had
    (later revisions may add columns and tables)."""
    with closing(sqlite3.connect(BEFORE)) as con:
        columns = {t: [c[1] for c in con.execute(f"PRAGMA table_info({t})")] for t in TABLES}
    with closing(sqlite3.connect(path)) as con:
        return {
            t: con.execute(f"SELECT {', '.join(columns[t])} FROM {t} ORDER BY id").fetchall()
            for t in sorted(TABLES)
            if columns[t]
        }


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    """A project folder whose var/ateliers.sqlite is the database of a site from before."""
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    root = tmp_path / "site"
    (root / "modules").mkdir(parents=True)
    (root / "var").mkdir()
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copy(BEFORE, root / "var" / "ateliers.sqlite")
    return root


def test_a_database_from_before_migrations_is_upgraded_and_keeps_every_row(site):
    database = site / "var" / "ateliers.sqlite"
    url = f"sqlite:///{database}"
    before = rows(database)
    assert sum(map(len, before.values())) == 14 and all(before.values())
    assert current_revision(url) is None and is_behind(url)
    with pytest.raises(MigrationError, match="lancez « course upgrade-db »"):
        WorkshopBook(site / "var")  # refused until upgraded, rather than failing on a column

    result = course("upgrade-db", cwd=site)
    assert result.returncode == 0, result.stderr
    assert f"Base des ateliers mise à jour : version {HEAD}" in result.stdout
    [backup] = (site / "var").glob("ateliers.sqlite.avant-migrations-*")
    assert backup.name in result.stdout.replace("\n", "")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert rows(backup) == before and current_revision(f"sqlite:///{backup}") is None
    assert rows(database) == before
    assert current_revision(url) == HEAD and not is_behind(url)

    book = WorkshopBook(site / "var")
    try:
        first, second, third = sorted(book.all(), key=lambda w: w.id)
        assert first.title == "Protéger ses données 🔒" and first.show_result
        assert first.module_ids == ["proteger-ses-donnees", "faire-son-cv"]
        assert first.learner_ids == ["alice", "bruno"]
        assert first.notes == "Maryvonne est venue\navec sa voisine."
        assert (second.learner_ids, second.equipment, third.learner_ids) == (
            ["chloe"],
            "Tablette",
            [],
        )
        with book.session() as session:
            assert session.scalars(select(ImportedBundle.site)).all() == ["France Services Quimper"]
            assert session.scalars(select(ImportedLearner.key)).all() == ["quimper-cccc"]
            assert session.scalars(select(ImportedResult.module_id)).all() == ["essai"]
            assert session.scalars(select(ImportedLesson.done)).all() == [2]
        book.add_learners(third.id, ["dounia"])  # and it is written to as before
        assert book.get(third.id).learner_ids == ["dounia"]
    finally:
        book.close()


def test_a_database_without_the_coordinator_tables_gets_them(tmp_path):
    """A laptop that never imported a bundle had only the workshop tables."""
    database = tmp_path / "ateliers.sqlite"
    shutil.copy(BEFORE, database)
    with closing(sqlite3.connect(database)) as con:
        for table in ("course_imported_bundles", "course_imported_learners",
                      "course_imported_results", "course_imported_lessons"):  # fmt: skip
            con.execute(f"DROP TABLE {table}")
        con.commit()
    url = f"sqlite:///{database}"
    done = upgrade_url(url)
    assert (done.before, done.after, done.created) == (None, HEAD, False)
    assert differences(url, models()) == []
    assert len(rows(database)["course_workshops"]) == 3


def test_a_new_database_is_made_by_the_migrations(tmp_path):
    book = WorkshopBook(tmp_path / "var")
    book.create("Premier atelier", date(2026, 12, 8), ["essai"])
    book.close()
    url = f"sqlite:///{tmp_path / 'var' / 'ateliers.sqlite'}"
    assert current_revision(url) == HEAD
    with closing(sqlite3.connect(tmp_path / "var" / "ateliers.sqlite")) as con:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names == TABLES | {VERSION_TABLE}
    assert list((tmp_path / "var").iterdir()) == [tmp_path / "var" / "ateliers.sqlite"]

    fresh = upgrade_url(f"sqlite:///{tmp_path / 'autre' / 'ateliers.sqlite'}")
    assert (fresh.before, fresh.after, fresh.created, fresh.backup) == (None, HEAD, True, None)


def test_upgrading_twice_changes_nothing(site):
    database = site / "var" / "ateliers.sqlite"
    assert course("upgrade-db", cwd=site).returncode == 0
    upgraded = database.read_bytes()
    again = course("upgrade-db", cwd=site)
    assert again.returncode == 0 and f"déjà à jour (version {HEAD})" in again.stdout
    assert database.read_bytes() == upgraded
    assert len(list((site / "var").glob("ateliers.sqlite.avant-*"))) == 1  # no second copy
    # `course` starts with umask 077: what it makes is its owner's only (the copy included).
    copy = next((site / "var").glob("ateliers.sqlite.avant-*"))
    assert stat.S_IMODE(database.stat().st_mode) == 0o600 == stat.S_IMODE(copy.stat().st_mode)
    done = upgrade_url(f"sqlite:///{database}")
    assert not done.changed and done.backup is None


@pytest.mark.parametrize("damage", ["not a database", "damaged page"])
def test_a_file_that_is_no_sound_database_is_refused_in_french_and_left_alone(site, damage):
    database = site / "var" / "ateliers.sqlite"
    if damage == "not a database":
        database.write_text("Liste des ateliers\nlundi : Protéger ses données\n" * 200)
        said = "n'est pas une base de données SQLite lisible ; je n'y ai pas touché"
    else:
        data = bytearray(BEFORE.read_bytes())
        data[2 * 4096 : 3 * 4096] = b"\xff" * 4096  # a table's page
        database.write_bytes(bytes(data))
        said = "est abîmée ; je n'y ai pas touché"
    kept = database.read_bytes()
    with pytest.raises(MigrationError):  # a damaged page it does not read: « upgrade-db »
        WorkshopBook(site / "var")
    result = course("upgrade-db", cwd=site)
    assert result.returncode == 1 and result.stdout == ""
    # The terminal wraps the message where it likes (a longer temporary path moves the breaks).
    assert said in " ".join(result.stderr.split()) and "Traceback" not in result.stderr
    assert database.read_bytes() == kept
    assert sorted(p.name for p in (site / "var").iterdir()) == ["ateliers.sqlite"]  # no copy


def test_head_is_the_one_end_of_one_line_of_revisions():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_heads() == [HEAD] == [head_revision()], (
        "HEAD in course/workshops/migrations/__init__.py must name the newest revision"
    )
    assert len(script.get_bases()) == 1


def test_the_models_and_the_migrations_agree(tmp_path):
    """A column added to a model without a revision (scripts/new_migration.py) fails here."""
    url = f"sqlite:///{tmp_path / 'ateliers.sqlite'}"
    upgrade_url(url)
    assert differences(url, models()) == []
    changed = models()
    column = Column("added_without_revision", Integer, nullable=True)
    changed.tables["course_workshops"].append_column(column)
    [(kind, *_)] = differences(url, changed)
    assert kind == "add_column"


def test_a_database_of_another_configuration_is_found_through_it(tmp_path):
    """`c.WorkshopSettings.db_url` is where `WorkshopBook` and the upgrade both look."""
    elsewhere = tmp_path / "partage" / "ateliers.sqlite"
    config = Config()
    config.WorkshopSettings.db_url = f"sqlite:///{elsewhere}"
    WorkshopBook(tmp_path / "var", config=config).close()
    assert current_revision(f"sqlite:///{elsewhere}") == HEAD
    assert not (tmp_path / "var" / "ateliers.sqlite").exists()


def test_serve_upgrades_the_database_before_anything_else(site):
    """`course serve` runs the upgrade first: a database it cannot upgrade stops it before the
    site is built or Voilà started (and one it can is at the newest revision before any page)."""
    from course.server.serve import start
    from course.settings import Project

    database = site / "var" / "ateliers.sqlite"
    database.write_bytes(b"\0" * 4096)
    with pytest.raises(MigrationError, match="n'est pas une base de données SQLite lisible"):
        start(Project(site), port=1)
    assert sorted(p.name for p in (site / "var").iterdir()) == ["ateliers.sqlite"]


def test_opening_a_database_at_the_newest_revision_imports_no_alembic(tmp_path):
    """Learner kernels open the book for attestations: no migration machinery for them."""
    WorkshopBook(tmp_path).close()
    script = (
        "import sys\nfrom course.workshops import WorkshopBook\n"
        f"WorkshopBook({str(tmp_path)!r}).all()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'alembic', 'mako'}))"
    )
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert found.stdout.strip() == "[]", found.stderr


def test_the_site_database_gets_presence_and_cancellation_keeping_every_row(tmp_path):
    """Revision 8e41c07a2b93 on the site's database of 7 December: every row kept, nobody
    cancelled, nobody marked present yet; then both are written and read back."""
    path = tmp_path / "ateliers.sqlite"
    shutil.copyfile(BEFORE, path)
    before = rows(BEFORE)
    upgrade_url(f"sqlite:///{path}")
    assert rows(path) == before
    with closing(sqlite3.connect(path)) as con:
        assert {r[0] for r in con.execute("SELECT cancelled FROM course_workshops")} == {0}
        assert {r[0] for r in con.execute("SELECT present FROM course_attendances")} <= {0}
    config = Config()
    config.WorkshopSettings.db_url = f"sqlite:///{path}"
    book = WorkshopBook(tmp_path, config)
    try:
        workshop = next(w for w in book.all() if w.learner_ids)
        marked = book.set_present(workshop.id, workshop.learner_ids[:1])
        assert marked.present_ids == workshop.learner_ids[:1] and marked.counts
        assert not book.cancel(workshop.id).counts
    finally:
        book.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # names and groups: the owner's only


def test_course_commands_make_what_they_write_their_owners_only(tmp_path, monkeypatch):
    """`course` starts with umask 077: a folder it makes is 0o700, whatever the shell's umask."""
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    root = tmp_path / "neuf"
    (root / "modules").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    previous = os.umask(0o022)
    try:
        assert course("upgrade-db", cwd=root).returncode == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((root / "var").stat().st_mode) == 0o700
    assert stat.S_IMODE((root / "var" / "ateliers.sqlite").stat().st_mode) == 0o600
