"""The workshops and the coordinator's imported bundles, as of 7 December 2026.

Revision ID: 5d0c2a3e41b7
Revises:
Create Date: 2026-12-07 09:26:34

The first revision: the schema `create_all` made before migrations existed. Each table and
index is created only if it is missing, so a database made then is recognised as this revision
without being touched, and one that lacks the coordinator's tables (they were made on a
laptop's first bundle import) gets them. Later revisions create and alter unconditionally.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d0c2a3e41b7"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = [
    ("course_workshops", "day"),
    ("course_attendances", "learner_id"),
    ("course_imported_results", "learner_key"),
    ("course_imported_lessons", "learner_key"),
]


def upgrade() -> None:
    op.create_table(
        "course_workshops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start", sa.Time(), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("place_kind", sa.String(length=20), nullable=False),
        sa.Column("equipment", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("trainer", sa.String(length=200), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("show_result", sa.Boolean(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
        if_not_exists=True,
    )
    op.create_table(
        "course_workshop_modules",
        sa.Column("module_id", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["course_workshops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workshop_id", "module_id"),
        if_not_exists=True,
    )
    op.create_table(
        "course_attendances",
        sa.Column("learner_id", sa.String(length=100), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["course_workshops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workshop_id", "learner_id"),
        if_not_exists=True,
    )
    op.create_table(
        "course_imported_bundles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("made", sa.String(length=40), nullable=False),
        sa.Column("imported", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("digest"),
        if_not_exists=True,
    )
    op.create_table(
        "course_imported_learners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
        if_not_exists=True,
    )
    op.create_table(
        "course_imported_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("learner_key", sa.String(length=100), nullable=False),
        sa.Column("module_id", sa.String(length=100), nullable=False),
        sa.Column("submitted", sa.DateTime(timezone=True), nullable=True),
        sa.Column("questions", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("learner_key", "module_id"),
        if_not_exists=True,
    )
    op.create_table(
        "course_imported_lessons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_key", sa.String(length=100), nullable=False),
        sa.Column("module_id", sa.String(length=100), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("learner_key", "module_id"),
        if_not_exists=True,
    )
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column], if_not_exists=True)


def downgrade() -> None:
    for table, column in INDEXES:
        op.drop_index(f"ix_{table}_{column}", table_name=table)
    for table in ("course_imported_lessons", "course_imported_results",
                  "course_imported_learners", "course_imported_bundles", "course_attendances",
                  "course_workshop_modules", "course_workshops"):  # fmt: skip
        op.drop_table(table)
