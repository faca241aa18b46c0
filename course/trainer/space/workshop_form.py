"""The workshop form of the trainer's space, read and checked: what La Coop's compte-rendu
needs (date, start, duration in minutes, place, who leads it) and a module, every problem said
in French at once, nothing saved until all is right.

La Coop asks a date, a duration in minutes, a place and the conseiller's activity
(`shared/FIELD.md`); the attestation needs the start and the trainer. A date is accepted from
2020 to two years ahead (a workshop in 1900 is a typing slip), an hour from 00:00 to 23:59, a
duration from 1 minute to 12 hours (`course.workshops.book.MAX_MINUTES`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time
from typing import TypeVar

from course.content.catalogue import Module
from course.workshops import Workshop, WorkshopError
from course.workshops.book import MAX_MINUTES, clean_text

T = TypeVar("T")
FIELDS = ("module", "title", "day", "start", "duration", "place", "trainer")
FIRST_YEAR = 2020
YEARS_AHEAD = 2
CLOCK = re.compile(r"^\s*(\d{1,2})\s*(?:[:hH]\s*(\d{0,2}))?\s*$")
FRENCH_DAY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


@dataclass
class WorkshopForm:
    """The values read from a form, ready for `WorkshopBook.create` / `update`."""

    module: Module
    title: str
    day: date
    start: time
    duration_minutes: int
    place: str
    trainer: str
    problems: list[str] = field(default_factory=list)

    def fields(self) -> dict[str, object]:
        return {
            "title": self.title,
            "day": self.day,
            "start": self.start,
            "duration_minutes": self.duration_minutes,
            "place": self.place,
            "trainer": self.trainer,
        }


def parse_day(text: str, today: date) -> date:
    text = text.strip()
    if not text:
        raise WorkshopError("Indiquez la date de l'atelier.")
    found = FRENCH_DAY.match(text)
    try:
        day = date(*map(int, reversed(found.groups()))) if found else date.fromisoformat(text)
    except ValueError:
        raise WorkshopError(
            f"La date « {text[:20]} » n'existe pas : écrivez-la comme 07/12/2026."
        ) from None
    last = today.year + YEARS_AHEAD
    if not FIRST_YEAR <= day.year <= last:
        raise WorkshopError(
            f"La date {day:%d/%m/%Y} n'est pas possible : choisissez un jour entre {FIRST_YEAR} "
            f"et {last}."
        )
    return day


def parse_start(text: str) -> time:
    if not text.strip():
        raise WorkshopError("Indiquez l'heure de début (par exemple 14:00).")
    found = CLOCK.match(text)
    hours, minutes = (int(found.group(1)), int(found.group(2) or 0)) if found else (99, 0)
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise WorkshopError(
            f"L'heure « {text.strip()[:20]} » n'existe pas : entre 00:00 et 23:59, par exemple 14:00."
        )
    return time(hours, minutes)


def parse_duration(text: str) -> int:
    if not text.strip():
        raise WorkshopError("Indiquez la durée en minutes (par exemple 90).")
    try:
        minutes = int(text.strip())
    except ValueError:
        raise WorkshopError("La durée doit être un nombre de minutes, par exemple 90.") from None
    if not 1 <= minutes <= MAX_MINUTES:
        raise WorkshopError(
            f"La durée doit être entre 1 et {MAX_MINUTES} minutes ({MAX_MINUTES // 60} heures)."
        )
    return minutes


def read_form(form: dict[str, str], modules: list[Module], today: date) -> WorkshopForm:
    """Every field checked; a `WorkshopError` lists all the problems, one sentence each."""
    problems: list[str] = []

    def check(function: Callable[..., T], *args: object) -> T | None:
        try:
            return function(*args)
        except WorkshopError as error:
            problems.append(str(error))
            return None

    by_id = {m.id: m for m in modules}
    module = by_id.get(form.get("module", ""))
    if module is None:
        problems.append("Choisissez le module de l'atelier.")
    title = check(clean_text, form.get("title", ""), "title")
    day = check(parse_day, form.get("day", ""), today)
    start = check(parse_start, form.get("start", ""))
    duration = check(parse_duration, form.get("duration", ""))
    place = check(clean_text, form.get("place", ""), "place")
    if place == "":
        problems.append("Indiquez le lieu de l'atelier (La Coop le demande).")
    trainer = check(clean_text, form.get("trainer", ""), "trainer")
    if trainer == "":
        problems.append("Indiquez qui anime l'atelier.")
    if problems:
        raise WorkshopError(" ".join(problems))
    assert module and day and start is not None and duration and place and trainer
    return WorkshopForm(module, title or module.title, day, start, duration, place, trainer)


def form_of(workshop: Workshop) -> dict[str, str]:
    """A workshop's values as its form shows them (edit, duplicate)."""
    return {
        "module": workshop.module_ids[0] if workshop.module_ids else "",
        "title": workshop.title,
        "day": workshop.day.isoformat(),
        "start": workshop.start.strftime("%H:%M") if workshop.start else "",
        "duration": str(workshop.duration_minutes),
        "place": workshop.place,
        "trainer": workshop.trainer,
    }


def version_of(workshop: Workshop) -> str:
    """A short digest of what the edit form changes: a form sent from an older copy of the page
    (another tab, the back button) is noticed instead of overwriting a newer change."""
    values = [*form_of(workshop).values(), str(workshop.cancelled), *workshop.module_ids]
    return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:16]
