"""The workshop tables. Values of `place_kind`, `equipment` and `level` are La Coop's own
(`LieuActivite`, `Ordinateur`, `Debutant`…, from `inclusion-numerique/coop-mediation-numerique`,
like `course.lacoop`) so its activity report is a copy, not a translation."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

PLACE_KINDS = {
    "LieuActivite": "Lieu d'activité",
    "Autre": "Autre lieu",
    "Domicile": "À domicile",
    "ADistance": "À distance",
}
EQUIPMENT = {
    "Ordinateur": "Ordinateur",
    "Telephone": "Téléphone",
    "Tablette": "Tablette",
    "Autre": "Autre",
    "Aucun": "Pas de matériel",
}
LEVELS = {"Debutant": "Débutant", "Intermediaire": "Intermédiaire", "Avance": "Avancé"}


class Base(DeclarativeBase):
    pass


class Workshop(Base):
    """One workshop: a title, a date and time, a place, a trainer, its modules and its group."""

    __tablename__ = "course_workshops"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stable across laptops: the coordinator's bundles are merged on it.
    uid: Mapped[str] = mapped_column(
        String(36), unique=True, default=lambda: str(uuid.uuid4()), nullable=False
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    day: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    start: Mapped[time | None] = mapped_column(Time, nullable=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=120)
    place: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    place_kind: Mapped[str] = mapped_column(String(20), nullable=False, default="LieuActivite")
    equipment: Mapped[str] = mapped_column(String(20), nullable=False, default="Ordinateur")
    level: Mapped[str] = mapped_column(String(20), nullable=False, default="Debutant")
    trainer: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    site: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    show_result: Mapped[bool] = mapped_column(default=False, nullable=False)
    # A cancelled workshop is kept (its group had enrolled) but counted nowhere.
    cancelled: Mapped[bool] = mapped_column(default=False, nullable=False)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    modules: Mapped[list[WorkshopModule]] = relationship(
        back_populates="workshop",
        cascade="all, delete-orphan",
        order_by="WorkshopModule.position",
        lazy="selectin",
    )
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="workshop",
        cascade="all, delete-orphan",
        order_by="Attendance.learner_id",
        lazy="selectin",
    )

    @property
    def module_ids(self) -> list[str]:
        return [m.module_id for m in self.modules]

    @property
    def learner_ids(self) -> list[str]:
        return [a.learner_id for a in self.attendances]

    @property
    def present_ids(self) -> list[str]:
        """Those the trainer marked present (the « feuille d'émargement »)."""
        return [a.learner_id for a in self.attendances if a.present]

    @property
    def counts(self) -> bool:
        """Whether reports count it: not cancelled, and someone in its group."""
        return not self.cancelled and bool(self.attendances)


class _OfWorkshop:
    """A row that belongs to one workshop and goes with it."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("course_workshops.id", ondelete="CASCADE"), nullable=False
    )


class WorkshopModule(_OfWorkshop, Base):
    __tablename__ = "course_workshop_modules"
    __table_args__ = (UniqueConstraint("workshop_id", "module_id"),)

    module_id: Mapped[str] = mapped_column(String(100), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    workshop: Mapped[Workshop] = relationship(back_populates="modules")


class Attendance(_OfWorkshop, Base):
    """A learner (their roster id, which is their nbgrader student id) in a workshop's group."""

    __tablename__ = "course_attendances"
    __table_args__ = (UniqueConstraint("workshop_id", "learner_id"),)

    learner_id: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    present: Mapped[bool] = mapped_column(default=False, nullable=False)
    workshop: Mapped[Workshop] = relationship(back_populates="attendances")
