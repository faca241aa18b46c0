"""Migrations of the workshops database: its workshops and groups, and the coordinator's
imported bundles (`course.coordinator.store`), which live in the same database.

Alembic, configured here in code (no alembic.ini), with the revisions shipped in the package
(`versions/`), as JupyterHub (`jupyterhub upgrade-db`) and nbgrader (`nbgrader db upgrade`) do:

- a new database is made by running every revision (`WorkshopBook` does it when it finds none
  of our tables), never by `create_all`;
- a database made by an older version is upgraded by `upgrade` (`course upgrade-db`, and
  `course serve` as it starts), after a copy of a SQLite file is kept beside it; any other
  program that opens it (`WorkshopBook`) refuses with a French message rather than failing later
  on a missing column;
- a database made before migrations existed (our tables, no version) is recognised as the first
  revision: that revision creates only the tables it lacks (the coordinator's, on a laptop that
  never imported a bundle), then the later ones run.

The whole upgrade is one transaction (PostgreSQL's, and SQLite's with `BEGIN IMMEDIATE`, which
also makes a second upgrader wait and then find the work done): a failed revision leaves the
database as it was. The version is kept in `course_alembic_version`, not alembic's default
`alembic_version`, so the workshops can share a database with nbgrader's gradebook, which keeps
its own there.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from course.workshops.book import WorkshopError, WorkshopSettings, database_url

if TYPE_CHECKING:
    from alembic.config import Config

    from course.settings import Project

# The newest revision in versions/, so opening a database needs no alembic (learner kernels
# open it for attestations); tests/workshops/test_migrations.py checks it is alembic's head.
HEAD = "b7f3d9215c0e"
VERSION_TABLE = "course_alembic_version"
FOLDER = Path(__file__).resolve().parent
TABLES = frozenset({
    "course_workshops", "course_workshop_modules", "course_attendances",
    "course_imported_bundles", "course_imported_learners", "course_imported_results",
    "course_imported_lessons", "course_devices", "course_sync_records",
})  # fmt: skip
PG_LOCK = 7_201_912  # pg_advisory_xact_lock key: one upgrader at a time on a server
BEHIND = (
    "La base des ateliers date d'une version précédente du logiciel : lancez « course "
    "upgrade-db » (une copie de sauvegarde est faite d'abord), ou relancez « course serve »."
)


class MigrationError(WorkshopError):
    """The workshops database cannot be read or upgraded; the message is French, shown as is."""


@dataclass(frozen=True)
class Upgrade:
    """What `upgrade` did: the revision found (None: a new database, or one made before
    migrations), the revision now, and the copy kept of a SQLite file."""

    before: str | None
    after: str
    created: bool = False
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def alembic_config(
    connection: Connection | None = None, folder: Path = FOLDER, **attributes: Any
) -> Config:
    """Alembic's configuration, in code: our scripts (`folder`: tests try others), and the
    connection to work on."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(folder))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    config.attributes["version_table"] = VERSION_TABLE
    config.attributes.update(attributes)
    return config


def only_ours(name: str | None, kind: str, _parents: object) -> bool:
    """Alembic's `include_name`: compare our tables only, never those sharing the database
    (nbgrader's gradebook), which a generated revision would otherwise drop."""
    return kind != "table" or bool(name and name.startswith("course_"))


def head_revision(folder: Path = FOLDER) -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(folder=folder)).get_current_head()
    assert head is not None
    return head


def workshops_url(project: Project) -> str:
    """The project's workshops database, as `WorkshopBook` finds it."""
    return database_url(project.data_dir, WorkshopSettings(config=project.config))


def current_revision(url: str) -> str | None:
    """The database's revision; None when it has none (new, or made before migrations)."""
    if _missing_file(url):
        return None
    with _transaction(url, write=False) as connection:
        return _read_state(connection, url)[0]


def is_behind(url: str) -> bool:
    """Whether `upgrade` would change the database (a new one is behind too)."""
    revision = current_revision(url)
    _check_known(revision)
    return revision != head_revision()


def upgrade(project: Project) -> Upgrade:
    """Bring the project's workshops database to the newest revision (made if missing)."""
    return upgrade_url(workshops_url(project))


def upgrade_url(url: str, folder: Path = FOLDER) -> Upgrade:
    head = head_revision(folder)
    path = _sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        _owner_only(path)
    try:
        return _upgrade(url, folder, head, path)
    finally:
        if path is not None:
            _owner_only(path)


def _owner_only(path: Path) -> None:
    """Names and groups: a SQLite file is its owner's only (0o600), also one made before."""
    with contextlib.suppress(OSError):
        path.chmod(0o600)


def _upgrade(url: str, folder: Path, head: str, path: Path | None) -> Upgrade:
    with _transaction(url, write=True) as connection:
        revision, ours = _read_state(connection, url, check=True)
        if revision == head:
            return Upgrade(revision, head)
        _check_known(revision, folder)
        backup = _backup(path, revision) if path is not None and ours else None
        from alembic import command

        try:
            command.upgrade(alembic_config(connection, folder), "head")
        except SQLAlchemyError as error:
            raise MigrationError(
                "La mise à jour de la base des ateliers a échoué ; elle est restée telle quelle. "
                f"Détail : {_first_line(error)}"
            ) from error
    return Upgrade(revision, head, created=not ours, backup=backup)


def ensure_ready(engine: Engine, url: str) -> None:
    """For every `WorkshopBook`: a new database is made at the newest revision; one at an older
    revision (or made before migrations) is refused with a French message. At the newest, it
    costs one read of the table list and one of the version, and no import of alembic."""
    try:
        with engine.connect() as connection:
            revision, ours = _state(connection)
    except SQLAlchemyError as error:
        raise _unreadable(url, error) from error
    if revision == HEAD:
        return
    if revision is None and not ours:
        upgrade_url(url)
        return
    _check_known(revision)
    raise MigrationError(BEHIND)


def _state(connection: Connection) -> tuple[str | None, bool]:
    """The revision found, and whether any of our tables exist."""
    names = set(inspect(connection).get_table_names())
    revision = None
    if VERSION_TABLE in names:
        revision = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    return revision, bool(names & TABLES) or revision is not None


def _read_state(connection: Connection, url: str, check: bool = False) -> tuple[str | None, bool]:
    """`_state`, errors in French; with `check`, a damaged SQLite file is refused (before an
    upgrade, which could otherwise succeed on it: creating a table reads only the schema)."""
    try:
        found = _state(connection)
        if check and found[1] and connection.dialect.name == "sqlite":
            verdict = connection.exec_driver_sql("PRAGMA quick_check").scalar()
            if verdict != "ok":
                lines = [line for line in str(verdict).splitlines() if not line.startswith("*")]
                detail = (lines or [str(verdict)])[0][:200]
                raise MigrationError(
                    f"La base des ateliers {_sqlite_file(url)} est abîmée ; je n'y ai pas touché. "
                    f"Remettez à sa place une copie de sauvegarde. Détail : {detail}"
                )
    except SQLAlchemyError as error:
        raise _unreadable(url, error) from error
    return found


def _check_known(revision: str | None, folder: Path = FOLDER) -> None:
    """A revision this version of the software does not have: the database is newer."""
    if revision is None or (revision == HEAD and folder == FOLDER):
        return
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        ScriptDirectory.from_config(alembic_config(folder=folder)).get_revision(revision)
    except CommandError:
        raise MigrationError(
            f"La base des ateliers a été mise à jour par une version plus récente du logiciel "
            f"(version {revision}) : installez cette version-là pour l'ouvrir."
        ) from None


@contextlib.contextmanager
def _transaction(url: str, *, write: bool) -> Iterator[Connection]:
    """One transaction on its own engine; a SQLite one is a real one (DDL included) and, to
    write, takes the write lock first. Errors opening it become French ones."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        begin = "BEGIN IMMEDIATE" if write else "BEGIN"
        event.listen(engine, "connect", _driver_leaves_transactions_to_us)
        event.listen(engine, "begin", lambda connection: connection.exec_driver_sql(begin))
    try:
        connection = engine.connect()
    except SQLAlchemyError as error:
        engine.dispose()
        raise _unreadable(url, error) from error
    try:
        with connection:
            try:
                transaction = connection.begin()
                if write and engine.dialect.name == "postgresql":
                    connection.execute(text(f"SELECT pg_advisory_xact_lock({PG_LOCK})"))
            except SQLAlchemyError as error:
                raise _unreadable(url, error) from error
            with transaction:
                yield connection
    finally:
        engine.dispose()


def _driver_leaves_transactions_to_us(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 would otherwise run DDL outside any transaction (SQLAlchemy's recipe).
    dbapi_connection.isolation_level = None


def _unreadable(url: str, error: Exception) -> MigrationError:
    path = _sqlite_file(url)
    if path is not None:
        return MigrationError(
            f"Le fichier {path} n'est pas une base de données SQLite lisible ; je n'y ai pas "
            "touché. Vérifiez c.WorkshopSettings.db_url dans nbgrader_config.py, ou remettez à "
            f"sa place une copie de sauvegarde. Détail : {_first_line(error)}"
        )
    shown = make_url(url).render_as_string(hide_password=True)
    return MigrationError(
        f"Je n'arrive pas à ouvrir la base des ateliers ({shown}). Vérifiez "
        f"c.WorkshopSettings.db_url dans nbgrader_config.py. Détail : {_first_line(error)}"
    )


def _first_line(error: Exception) -> str:
    detail = getattr(error, "orig", None) or error
    return (str(detail).strip().splitlines() or [type(detail).__name__])[0][:300]


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _missing_file(url: str) -> bool:
    path = _sqlite_file(url)
    return path is not None and not path.exists()


def _backup(path: Path, revision: str | None) -> Path:
    """A consistent copy of the SQLite file (SQLite's backup, which waits for no writer),
    readable by its owner only: `ateliers.sqlite.avant-<revision>-<day>-<time>`."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = f"{path.name}.avant-{revision or 'migrations'}-{stamp}"
    for n in range(1, 100):
        target = path.with_name(base if n == 1 else f"{base}-{n}")
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            break
        except FileExistsError:
            continue
    else:
        raise MigrationError(f"Trop de copies de sauvegarde à côté de {path}.")
    with contextlib.closing(sqlite3.connect(path)) as source:
        with contextlib.closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
    return target
