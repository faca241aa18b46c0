"""Migrations of the workshops database on a real PostgreSQL server (`postgres`, started by
tests/coordinator_support.py): an empty database brought to the newest revision, and one whose
tables were made before migrations, by the DDL `create_all` issued then
(`tests/fixtures/databases/ateliers-2026-12-07.postgresql.sql`), sharing its database with
nbgrader's gradebook, whose own `alembic_version` must stay as it is."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from test_migrations import differences, models
from traitlets.config import Config

from course.workshops import WorkshopBook
from course.workshops.migrations import (
    HEAD,
    MigrationError,
    current_revision,
    is_behind,
    upgrade_url,
)

DDL = Path(__file__).resolve().parents[1] / "fixtures" / "databases" / "ateliers-2026-12-07.postgresql.sql"  # fmt: skip
ROWS = """
INSERT INTO course_workshops (uid, title, day, start, duration_minutes, place, place_kind,
  equipment, level, trainer, site, notes, show_result, created)
VALUES ('w-brest', 'Protéger ses données', '2026-11-24', '14:00', 90, 'Médiathèque',
  'LieuActivite', 'Ordinateur', 'Debutant', 'Awa', 'Brest', '', true, now());
INSERT INTO course_workshop_modules (workshop_id, module_id, position) VALUES (1, 'essai', 0);
INSERT INTO course_attendances (workshop_id, learner_id) VALUES (1, 'alice'), (1, 'bruno');
INSERT INTO course_imported_learners (key, site) VALUES ('quimper-cccc', 'Quimper');
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
INSERT INTO alembic_version VALUES ('nbgrader-own');
"""


def run_sql(url: str, script: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in script.split(";"):
            if statement.strip():
                connection.execute(text(statement))
    engine.dispose()


def scalars(url: str, query: str) -> list:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(text(query)).scalars().all()
    engine.dispose()
    return found


def test_an_empty_postgresql_database_is_brought_to_the_newest_revision(postgres):
    url = postgres.create_database("ateliers_vide")
    assert current_revision(url) is None and is_behind(url)
    done = upgrade_url(url)
    assert (done.before, done.after, done.created, done.backup) == (None, HEAD, True, None)
    assert current_revision(url) == HEAD
    assert differences(url, models()) == []  # the same tables as the models, on PostgreSQL too
    config = Config()
    config.WorkshopSettings.db_url = url
    book = WorkshopBook(Path("/nonexistent"), config=config)
    made = book.create("Premier atelier", date(2026, 12, 8), ["essai"], learner_ids=["alice"])
    assert book.get(made.id).learner_ids == ["alice"]
    book.close()
    assert not upgrade_url(url).changed


def test_a_postgresql_database_from_before_migrations_is_recognised(postgres):
    url = postgres.create_database("ateliers_avant")
    run_sql(url, DDL.read_text(encoding="utf-8") + ROWS)
    assert current_revision(url) is None and is_behind(url)
    config = Config()
    config.WorkshopSettings.db_url = url
    with pytest.raises(MigrationError, match="course upgrade-db"):
        WorkshopBook(Path("/nonexistent"), config=config)

    done = upgrade_url(url)
    assert (done.before, done.after, done.created, done.backup) == (None, HEAD, False, None)
    assert differences(url, models()) == []
    assert scalars(url, "SELECT version_num FROM course_alembic_version") == [HEAD]
    assert scalars(url, "SELECT version_num FROM alembic_version") == ["nbgrader-own"]
    book = WorkshopBook(Path("/nonexistent"), config=config)
    [workshop] = book.all()
    assert (workshop.title, workshop.module_ids, workshop.learner_ids) == (
        "Protéger ses données", ["essai"], ["alice", "bruno"],
    )  # fmt: skip
    book.close()
    assert scalars(url, "SELECT key FROM course_imported_learners") == ["quimper-cccc"]


def test_an_unreachable_server_is_said_in_french(postgres):
    url = postgres.url("ateliers_absente").replace("ateliers@", "ateliers:secret@")
    with pytest.raises(MigrationError, match="Je n'arrive pas à ouvrir la base") as caught:
        upgrade_url(url)
    assert "secret" not in str(caught.value)
