"""Alembic's environment for the workshops database, run by `course.workshops.migrations`.

Everything comes from the configuration built in code (`alembic_config`): the connection, whose
transaction the caller owns (so the whole upgrade commits or rolls back at once), the version
table, and, when a developer makes a revision (`scripts/new_migration.py`), the tables as the
models describe them, compared with our tables only (`only_ours`). Batch mode lets a revision
change a column on SQLite, which cannot alter one in place.
"""

from __future__ import annotations

from alembic import context

from course.workshops.migrations import only_ours

config = context.config
if context.is_offline_mode():
    raise RuntimeError("The workshops migrations run on a live connection only.")

context.configure(
    connection=config.attributes["connection"],
    target_metadata=config.attributes.get("target_metadata"),
    version_table=config.attributes["version_table"],
    render_as_batch=True,
    include_name=only_ours,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
