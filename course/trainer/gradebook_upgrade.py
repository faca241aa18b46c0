"""nbgrader's own gradebook upgrade (`nbgrader db upgrade`), run from Python on a project's
gradebook, SQLite or PostgreSQL, for `course upgrade-db` (a hub runs it on every site).

nbgrader's `dbutil.upgrade` starts the `alembic` program found on PATH, which a hub's service
or a cron job may not have; here the same migrations (nbgrader's alembic folder and its
alembic.ini template) run through alembic's Python API. As `nbgrader db upgrade` does, a SQLite
file is copied first. A gradebook nobody has opened yet is left alone: nbgrader makes it at the
newest version when it is first used (its revisions change tables, they never create them).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from course.core import french
from course.settings import Project


@dataclass(frozen=True)
class GradebookUpgrade:
    """What was done: `before`/`after` are nbgrader's alembic revisions ("" for none)."""

    before: str
    after: str
    exists: bool = True
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        return self.exists and self.before != self.after

    def french(self) -> str:
        """One sentence for the administrator."""
        if not self.exists:
            return (
                "Pas encore de carnet de notes nbgrader : il sera créé à sa première utilisation."
            )
        if not self.changed:
            return f"Le carnet de notes nbgrader est déjà à jour (version {self.after})."
        if self.before:
            return f"Carnet de notes nbgrader mis à jour : version {self.before} → {self.after}."
        return f"Carnet de notes nbgrader mis à jour : version {self.after} (il n'en avait pas)."


def gradebook_url(project: Project) -> str:
    """The project's gradebook, as nbgrader reads it (`CourseDirectory.db_url`)."""
    from course.coordinator.results import gradebook_url as configured

    return configured(project)


def _revision(url: str) -> tuple[bool, str]:
    """Whether nbgrader's tables are there, and the database's alembic revision."""
    import sqlalchemy
    from alembic.runtime.migration import MigrationContext

    engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool)
    try:
        with engine.connect() as connection:
            tables = sqlalchemy.inspect(connection).get_table_names()
            revision = MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
    return "assignment" in tables, revision or ""


def upgrade_gradebook(project: Project) -> GradebookUpgrade:
    """Bring the project's gradebook to nbgrader's newest revision (nbgrader's migrations)."""
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from nbgrader import dbutil

    url = gradebook_url(project)
    if url.startswith("sqlite:///") and not Path(url.split(":///", 1)[1]).is_file():
        return GradebookUpgrade("", "", exists=False)
    exists, before = _revision(url)
    if not exists:
        return GradebookUpgrade("", "", exists=False)
    with tempfile.TemporaryDirectory() as folder:
        ini = Path(folder) / "alembic.ini"
        # configparser reads "%" as interpolation: a password's %-escapes must be doubled.
        dbutil.write_alembic_ini(str(ini), url.replace("%", "%%"))
        # alembic's progress lines are English and technical: kept out of the admin's screen.
        ini.write_text(ini.read_text().replace("level = INFO", "level = WARN"))
        config = Config(str(ini))
        heads = ScriptDirectory.from_config(config).get_heads()
        if before in heads:
            return GradebookUpgrade(before, before)
        backup = None
        if url.startswith("sqlite:///"):
            source = Path(url.split(":///", 1)[1])
            stamp = french.now().strftime("%Y-%m-%d-%H%M%S")
            backup = source.with_name(f"{source.name}.{stamp}")
            shutil.copy2(source, backup)
        command.upgrade(config, "head")
    return GradebookUpgrade(before, _revision(url)[1], backup=backup)
