"""The coordinator's own tables: what bundles from other laptops brought in.

They live in the workshops database (`c.WorkshopSettings.db_url`), beside the workshops the
bundles also bring, so one import is one transaction over both: a damaged bundle leaves nothing
behind, and the workshops' migrations (`course.workshops.migrations`) make and change them. A
trainer's own results stay in nbgrader's gradebook; these tables hold other sites' results as
their bundles carried them, keyed by pseudonymous learner ids.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ImportedBundle(Base):
    """One bundle, by the digest of its manifest: importing it again adds nothing."""

    __tablename__ = "course_imported_bundles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    site: Mapped[str] = mapped_column(String(200), nullable=False)
    made: Mapped[str] = mapped_column(String(40), nullable=False)
    imported: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    device: Mapped[str | None] = mapped_column(String(12), nullable=True)  # None: unsigned


class ImportedLearner(Base):
    __tablename__ = "course_imported_learners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    site: Mapped[str] = mapped_column(String(200), nullable=False)


class ImportedResult(Base):
    """One learner's graded evaluation of one module; `questions` is JSON (id, score, max)."""

    __tablename__ = "course_imported_results"
    __table_args__ = (UniqueConstraint("learner_key", "module_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site: Mapped[str] = mapped_column(String(200), nullable=False)
    learner_key: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    module_id: Mapped[str] = mapped_column(String(100), nullable=False)
    submitted: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    questions: Mapped[str] = mapped_column(Text, nullable=False)


class ImportedLesson(Base):
    """How many of a module's practice questions a learner answered in its lesson."""

    __tablename__ = "course_imported_lessons"
    __table_args__ = (UniqueConstraint("learner_key", "module_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_key: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    module_id: Mapped[str] = mapped_column(String(100), nullable=False)
    done: Mapped[int] = mapped_column(Integer, nullable=False)
    total: Mapped[int] = mapped_column(Integer, nullable=False)


class Device(Base):
    """A laptop the coordinator enrolled for one site (its key is in `var/appareils/`, not
    here). `seen` is the counter up to which the coordinator holds every record it sent;
    a revoked device's later payloads are refused, what it sent before stays."""

    __tablename__ = "course_devices"

    id: Mapped[str] = mapped_column(String(12), primary_key=True)
    site: Mapped[str] = mapped_column(String(200), nullable=False)
    label: Mapped[str] = mapped_column(String(200), nullable=False)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    last_sync: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    seen: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    revoked: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class SyncRecord(Base):
    """One record of a device's log, as far as the coordinator applied it: its kind and key
    (what it wrote), and each field's counter (`fields`, JSON), so a field is only replaced by
    a newer version of it (last writer wins, field by field) and a version seen twice adds
    nothing."""

    __tablename__ = "course_sync_records"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    device: Mapped[str] = mapped_column(String(12), nullable=False, index=True)
    site: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    key: Mapped[str] = mapped_column(String(200), nullable=False)
    counter: Mapped[int] = mapped_column(Integer, nullable=False)
    fields: Mapped[str] = mapped_column(Text, nullable=False)
