"""The workshop book: create, change and find workshops and their groups, in one database.

Every call opens its own short transaction, so the trainer's pages, the learners' kernels and
the coordinator's exports can share the database (SQLite's file lock or PostgreSQL's) without
holding it. Returned workshops are detached copies with their modules and group loaded.
Bad input raises `WorkshopError` with a French message the trainer's page can show as is.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from traitlets import Unicode
from traitlets.config import Config, Configurable

from course.core.errors import UserError
from course.core.ids import InvalidLearnerId, check_learner_id
from course.workshops.model import (
    EQUIPMENT,
    LEVELS,
    PLACE_KINDS,
    Attendance,
    Workshop,
    WorkshopModule,
)

TEXT_LIMITS = {"title": 200, "place": 200, "trainer": 200, "notes": 2000}
FIELD_NAMES = {"title": "Le titre", "place": "Le lieu", "trainer": "Le nom de l'animateur",
               "notes": "Les notes"}  # fmt: skip
MAX_MINUTES = 12 * 60
MODULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
Row = TypeVar("Row", WorkshopModule, Attendance)


class WorkshopError(UserError, ValueError):
    """A workshop refused or not found; the message is French, for the trainer's page."""


class WorkshopSettings(Configurable):
    """Where workshops are kept; set in nbgrader_config.py as `c.WorkshopSettings.<name>`."""

    db_url = Unicode(
        "",
        help="SQLAlchemy URL of the workshops database, like nbgrader's CourseDirectory.db_url "
        "(e.g. postgresql+psycopg://user@host/ateliers). Empty: var/ateliers.sqlite.",
    ).tag(config=True)
    site = Unicode(
        "",
        help="Name of this site (« Médiathèque de Brest »), recorded on its workshops and used "
        "by the coordinator to tell sites apart. Empty (the default): the name the trainer saved "
        "in her space's settings (var/site.json); set here, it wins over that one.",
    ).tag(config=True)


def database_url(data_dir: Path, settings: WorkshopSettings) -> str:
    """The workshops database: `c.WorkshopSettings.db_url`, else `<data_dir>/ateliers.sqlite`."""
    return settings.db_url or f"sqlite:///{Path(data_dir) / 'ateliers.sqlite'}"


def clean_text(value: object, field: str, required: bool = False) -> str:
    """One line or paragraph of typed text, trimmed, without control characters, within limits."""
    text = unicodedata.normalize("NFC", str(value or ""))
    if field != "notes":
        text = " ".join(text.split())
    text = "".join(ch for ch in text if ch in "\n" or unicodedata.category(ch)[0] != "C").strip()
    if required and not text:
        raise WorkshopError(f"{FIELD_NAMES[field]} est vide.")
    if len(text) > TEXT_LIMITS[field]:
        raise WorkshopError(
            f"{FIELD_NAMES[field]} est trop long : {TEXT_LIMITS[field]} caractères au plus."
        )
    return text


def _choice(value: str, allowed: dict[str, str], what: str) -> str:
    if value not in allowed:
        raise WorkshopError(f"{what} inconnu : choisissez parmi {', '.join(allowed.values())}.")
    return value


def _duration(value: object) -> int:
    try:
        minutes = int(str(value).strip())
    except ValueError:
        raise WorkshopError("La durée doit être un nombre de minutes, par exemple 90.") from None
    if not 1 <= minutes <= MAX_MINUTES:
        raise WorkshopError(f"La durée doit être entre 1 et {MAX_MINUTES} minutes.")
    return minutes


def _modules(module_ids: Iterable[str]) -> list[str]:
    ids = list(dict.fromkeys(m.strip() for m in module_ids if m and m.strip()))
    if not ids:
        raise WorkshopError("Choisissez au moins un module pour l'atelier.")
    for module_id in ids:
        if not MODULE_ID.match(module_id):
            raise WorkshopError(f"Module inconnu : {module_id[:60]}")
    return ids


def _learners(learner_ids: Iterable[str]) -> list[str]:
    try:
        return sorted({check_learner_id(i) for i in learner_ids})
    except InvalidLearnerId as error:
        raise WorkshopError(str(error)[:200]) from None


def _rows_for(rows: list[Row], wanted: list[str], make: Callable[..., Row], key: str) -> list[Row]:
    """The rows of a workshop's list (its modules, its group) for the keys `wanted`, in their
    order: the row already there for a key is kept, a new one is made for each other key, the
    rest are dropped (deleted with the list's delete-orphan cascade). Keeping rows matters:
    replacing one would insert the same (workshop, key) pair before the old row is deleted
    (the pair is unique)."""
    have = {getattr(row, key): row for row in rows}
    return [have.get(k) or make(**{key: k}) for k in wanted]


def _set_modules(workshop: Workshop, module_ids: list[str]) -> None:
    """The workshop's modules become `module_ids`, in this order (`position`)."""
    workshop.modules = _rows_for(workshop.modules, module_ids, WorkshopModule, "module_id")
    for position, module in enumerate(workshop.modules):
        module.position = position


class WorkshopBook:
    """All workshops of one project (or of a coordinator's merged projects)."""

    def __init__(self, data_dir: Path, config: Config | None = None):
        self.settings = WorkshopSettings(config=config)
        self.config = config
        self.data_dir = Path(data_dir)
        from course.workshops.migrations import ensure_ready

        url = database_url(data_dir, self.settings)
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.url = url
        self.engine: Engine = create_engine(url)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_foreign_keys)
        try:
            ensure_ready(self.engine, url)  # a new database is made by the migrations
        except Exception:
            self.engine.dispose()
            raise
        if url.startswith("sqlite:///"):  # names and groups: the owner's only
            with contextlib.suppress(OSError):
                Path(url.removeprefix("sqlite:///")).chmod(0o600)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    @property
    def site(self) -> str:
        """This site's name, recorded on each new workshop (`course.workshops.site`)."""
        from course.workshops.site import site_name

        return site_name(self.data_dir, self.config)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        with self._sessions.begin() as session:
            yield session

    def create(
        self,
        title: str,
        day: date,
        module_ids: Iterable[str],
        *,
        start: time | None = None,
        duration_minutes: int | str = 120,
        place: str = "",
        trainer: str = "",
        place_kind: str = "LieuActivite",
        equipment: str = "Ordinateur",
        level: str = "Debutant",
        learner_ids: Iterable[str] = (),
        show_result: bool = False,
        notes: str = "",
        uid: str | None = None,
    ) -> Workshop:
        workshop = Workshop(
            title=clean_text(title, "title", required=True),
            day=day,
            start=start,
            duration_minutes=_duration(duration_minutes),
            place=clean_text(place, "place"),
            trainer=clean_text(trainer, "trainer"),
            place_kind=_choice(place_kind, PLACE_KINDS, "Type de lieu"),
            equipment=_choice(equipment, EQUIPMENT, "Matériel"),
            level=_choice(level, LEVELS, "Niveau"),
            site=self.site,
            notes=clean_text(notes, "notes"),
            show_result=bool(show_result),
            created=datetime.now(UTC),
        )
        if uid:
            workshop.uid = uid
        _set_modules(workshop, _modules(module_ids))
        workshop.attendances = _rows_for([], _learners(learner_ids), Attendance, "learner_id")
        with self.session() as session:
            session.add(workshop)
        return self.get(workshop.id)

    def update(self, workshop_id: int, **fields: object) -> Workshop:
        """Change some fields (same names as `create`); `module_ids` replaces the modules."""
        with self.session() as session:
            workshop = self._find(session, workshop_id)
            for name, value in fields.items():
                if name in TEXT_LIMITS:
                    setattr(workshop, name, clean_text(value, name, required=name == "title"))
                elif name == "duration_minutes":
                    workshop.duration_minutes = _duration(value)
                elif name in ("place_kind", "equipment", "level"):
                    table = {"place_kind": PLACE_KINDS, "equipment": EQUIPMENT, "level": LEVELS}
                    setattr(workshop, name, _choice(str(value), table[name], "Choix"))
                elif name in ("day", "start", "show_result"):
                    setattr(workshop, name, value)
                elif name == "module_ids":
                    _set_modules(workshop, _modules(value))  # type: ignore[arg-type]
                else:
                    raise TypeError(f"unknown workshop field {name!r}")
        return self.get(workshop_id)

    def get(self, workshop_id: int) -> Workshop:
        with self.session() as session:
            return self._find(session, workshop_id)

    def by_uid(self, uid: str) -> Workshop | None:
        with self.session() as session:
            return session.scalars(select(Workshop).where(Workshop.uid == uid)).first()

    def all(self, since: date | None = None, until: date | None = None) -> list[Workshop]:
        """Workshops between two days (both included), most recent first."""
        query = select(Workshop)
        if since:
            query = query.where(Workshop.day >= since)
        if until:
            query = query.where(Workshop.day <= until)
        with self.session() as session:
            found = session.scalars(query).all()
        return sorted(found, key=lambda w: (w.day, w.start or time(0), w.id), reverse=True)

    def on_day(self, day: date) -> list[Workshop]:
        return self.all(since=day, until=day)

    def of_learner(self, learner_id: str) -> list[Workshop]:
        """The workshops a learner attended, most recent first (for their attestation)."""
        query = select(Workshop).join(Attendance).where(Attendance.learner_id == learner_id)
        with self.session() as session:
            found = session.scalars(query).all()
        return sorted(found, key=lambda w: (w.day, w.start or time(0), w.id), reverse=True)

    def set_group(self, workshop_id: int, learner_ids: Iterable[str]) -> Workshop:
        wanted = _learners(learner_ids)
        with self.session() as session:
            workshop = self._find(session, workshop_id)
            workshop.attendances = _rows_for(workshop.attendances, wanted, Attendance, "learner_id")
        return self.get(workshop_id)

    def add_learners(self, workshop_id: int, learner_ids: Iterable[str]) -> Workshop:
        current = self.get(workshop_id).learner_ids
        return self.set_group(workshop_id, [*current, *learner_ids])

    def remove_learner(self, workshop_id: int, learner_id: str) -> Workshop:
        current = self.get(workshop_id).learner_ids
        return self.set_group(workshop_id, [i for i in current if i != learner_id])

    def rename_learner(self, old_id: str, new_id: str) -> None:
        """Follow a learner whose id changed in the roster, in every workshop's group."""
        new_id = _learners([new_id])[0]
        with self.session() as session:
            for attendance in session.scalars(
                select(Attendance).where(Attendance.learner_id == old_id)
            ):
                attendance.learner_id = new_id

    def forget_learner(self, learner_id: str) -> None:
        """Take a learner out of every group (the trainer removed them from the roster)."""
        with self.session() as session:
            for attendance in session.scalars(
                select(Attendance).where(Attendance.learner_id == learner_id)
            ):
                session.delete(attendance)

    def delete(self, workshop_id: int) -> None:
        """Delete a workshop nobody is enrolled in; one with a group is cancelled instead
        (`cancel`): its people's attestations and results still name it."""
        with self.session() as session:
            workshop = self._find(session, workshop_id)
            if workshop.attendances:
                raise WorkshopError(
                    "Des personnes sont inscrites à cet atelier : il ne peut pas être supprimé. "
                    "Annulez-le plutôt (il sera gardé, mais compté nulle part)."
                )
            session.delete(workshop)

    def cancel(self, workshop_id: int, cancelled: bool = True) -> Workshop:
        """Cancel a workshop (kept, counted nowhere), or restore it with `cancelled=False`."""
        with self.session() as session:
            self._find(session, workshop_id).cancelled = cancelled
        return self.get(workshop_id)

    def set_present(self, workshop_id: int, present_ids: Iterable[str]) -> Workshop:
        """Mark who came: those of the group in `present_ids`, and nobody else."""
        present = set(present_ids)
        with self.session() as session:
            for attendance in self._find(session, workshop_id).attendances:
                attendance.present = attendance.learner_id in present
        return self.get(workshop_id)

    @staticmethod
    def _find(session: Session, workshop_id: int) -> Workshop:
        workshop = session.get(Workshop, workshop_id)
        if workshop is None:
            raise WorkshopError("Cet atelier n'existe pas (ou plus).")
        return workshop


def _sqlite_foreign_keys(connection: object, _record: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
