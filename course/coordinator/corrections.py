"""The coordinator corrects what came in: remove one imported workshop, or everything a device
sent. One transaction each, a line in `var/journal-coordination.log`, and the figures follow
(they are read from the same tables).

The device's records stay known (`SyncRecord`, with their counters): the same payload imported
again, by file or network, does not bring back what was removed; a later change on the laptop
(a new result, a workshop edited) does come in.
"""

from __future__ import annotations

from sqlalchemy import select

from course.coordinator.devices import log
from course.coordinator.records import local_site
from course.coordinator.store import (
    Device,
    ImportedLearner,
    ImportedLesson,
    ImportedResult,
    SyncRecord,
)
from course.core.errors import UserError
from course.settings import Project
from course.workshops.model import Workshop


def remove_workshop(project: Project, uid: str) -> str:
    """Remove a workshop a site sent (never one of this computer's own); return its title."""
    book = project.workshops()
    try:
        with book.session() as session:
            found = session.scalars(select(Workshop).where(Workshop.uid == uid)).first()
            if found is None:
                raise UserError("Cet atelier n'existe plus : rien n'a été retiré.")
            if found.site in ("", local_site(project)):
                raise UserError(
                    "Cet atelier a été créé sur cet ordinateur : retirez-le depuis l'espace de "
                    "l'animateur."
                )
            title, site = found.title, found.site
            session.delete(found)
    finally:
        book.close()
    log(project, f"atelier {uid} retiré (« {title} », {site})")
    return title


def remove_device_records(project: Project, device: str) -> dict[str, int]:
    """Remove every workshop, learner, result and lesson a device sent; return the counts."""
    removed = {"ateliers": 0, "apprenants": 0, "résultats": 0, "leçons": 0}
    book = project.workshops()
    try:
        with book.session() as session:
            if session.get(Device, device) is None:
                raise UserError(f"Aucun appareil « {device} ».")
            rows = session.scalars(select(SyncRecord).where(SyncRecord.device == device)).all()
            for row in rows:
                if row.kind == "workshop":
                    found = session.scalars(select(Workshop).where(Workshop.uid == row.key))
                    for workshop in found:
                        session.delete(workshop)
                        removed["ateliers"] += 1
                elif row.kind in ("result", "lesson"):
                    learner, module = row.key.split(" ")[:2]
                    table = ImportedResult if row.kind == "result" else ImportedLesson
                    what = "résultats" if row.kind == "result" else "leçons"
                    for found_row in session.scalars(
                        select(table).where(table.learner_key == learner, table.module_id == module)
                    ):
                        session.delete(found_row)
                        removed[what] += 1
                else:
                    for learner_row in session.scalars(
                        select(ImportedLearner).where(ImportedLearner.key == row.key)
                    ):
                        session.delete(learner_row)
                        removed["apprenants"] += 1
    finally:
        book.close()
    counts = ", ".join(f"{n} {what}" for what, n in removed.items())
    log(project, f"appareil {device} : tout ce qu'il a envoyé est retiré ({counts})")
    return removed
