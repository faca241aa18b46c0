"""Enrolled devices and the records they sent.

Revision ID: b7f3d9215c0e
Revises: 8e41c07a2b93
Create Date: 2026-12-07 12:55:00

The coordinator enrols laptops (`course_devices`: site, last sync, revoked, the counter up to
which it holds everything a device sent) and keeps, for each record a device's log brought,
the counter of each of its fields (`course_sync_records`). A bundle imported says which device
signed it (`course_imported_bundles.device`, null for today's unsigned bundles).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7f3d9215c0e"
down_revision: str | Sequence[str] | None = "8e41c07a2b93"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "course_devices",
        sa.Column("id", sa.String(length=12), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sync", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seen", sa.Integer(), nullable=False),
        sa.Column("revoked", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "course_sync_records",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("device", sa.String(length=12), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_course_sync_records_device"), "course_sync_records", ["device"], unique=False
    )
    with op.batch_alter_table("course_imported_bundles") as batch_op:
        batch_op.add_column(sa.Column("device", sa.String(length=12), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("course_imported_bundles") as batch_op:
        batch_op.drop_column("device")
    op.drop_index(op.f("ix_course_sync_records_device"), table_name="course_sync_records")
    op.drop_table("course_sync_records")
    op.drop_table("course_devices")
