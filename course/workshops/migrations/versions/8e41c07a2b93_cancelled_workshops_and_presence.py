"""Cancelled workshops and presence.

Revision ID: 8e41c07a2b93
Revises: 5d0c2a3e41b7
Create Date: 2026-12-07 12:30:00

A workshop the trainer cancels is kept (its group had enrolled) but counted nowhere
(`course_workshops.cancelled`); each person of a group is marked present or not
(`course_attendances.present`, the « feuille d'émargement »). Existing rows get false: nobody
was cancelled, and nobody was marked present before this revision.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8e41c07a2b93"
down_revision: str | Sequence[str] | None = "5d0c2a3e41b7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("course_workshops") as batch_op:
        batch_op.add_column(
            sa.Column("cancelled", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("course_attendances") as batch_op:
        batch_op.add_column(
            sa.Column("present", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("course_attendances") as batch_op:
        batch_op.drop_column("present")
    with op.batch_alter_table("course_workshops") as batch_op:
        batch_op.drop_column("cancelled")
