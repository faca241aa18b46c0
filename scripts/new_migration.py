"""Write a new revision of the workshops database from the models (for developers).

    .venv/bin/python scripts/new_migration.py "add the workshop's room"

This is `alembic revision --autogenerate` for our programmatic configuration: alembic compares
the models (`course.workshops.model`, `course.coordinator.store`) with a scratch SQLite database
brought to the newest revision, and writes what differs to a new file in
`course/workshops/migrations/versions/`. Then: read it and complete it (data to fill in a new
NOT NULL column, a server default), set `HEAD` in `course/workshops/migrations/__init__.py` to
its id, and run `tests/workshops/` (the models and the migrations must agree, on SQLite and
PostgreSQL).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from course.coordinator.store import Base as CoordinatorBase
from course.workshops.migrations import alembic_config, upgrade_url
from course.workshops.model import Base as WorkshopBase


def main() -> None:
    message = " ".join(sys.argv[1:]).strip()
    if not message:
        sys.exit(__doc__)
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'ateliers.sqlite'}"
        upgrade_url(url)
        engine = create_engine(url)
        with engine.begin() as connection:
            models = [WorkshopBase.metadata, CoordinatorBase.metadata]
            config = alembic_config(connection, target_metadata=models)
            script = command.revision(config, message=message, autogenerate=True)
        engine.dispose()
    assert script is not None and not isinstance(script, list)
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    subprocess.run([ruff, "check", "--fix", "--quiet", script.path], check=False)
    subprocess.run([ruff, "format", "--quiet", script.path], check=False)
    print(f"{script.path}\nrevision {script.revision}: set HEAD to it once the file is right.")


if __name__ == "__main__":
    main()
