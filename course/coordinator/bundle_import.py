"""Importing checked bundles into the coordinator's project, in one database transaction.

Workshops are merged on their `uid` (the same workshop in a newer bundle is updated, never
doubled), learners on their pseudonymous key, results on (learner, module) keeping the latest
sent; a workshop, learner or result already stored under another site refuses the whole bundle
(a site speaks only for itself, whatever its name or prefix looks like), lessons on (learner, module) keeping the furthest. A bundle already imported (same
manifest digest) adds nothing. Everything happens inside one `WorkshopBook.session()`: if
anything fails, the database is as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from course.coordinator.bundle import BundleError
from course.coordinator.bundle_check import Bundle
from course.coordinator.settings import CoordinatorSettings
from course.coordinator.store import (
    ImportedBundle,
    ImportedLearner,
    ImportedLesson,
    ImportedResult,
)
from course.core.files import from_iso
from course.settings import Project
from course.sync.archive import read_members
from course.sync.devices import SIGNATURE
from course.workshops.book import clean_text
from course.workshops.model import Attendance, Workshop, WorkshopModule


@dataclass
class ImportReport:
    site: str
    already: bool = False  # this very bundle was imported before: nothing added
    added: dict[str, int] = field(
        default_factory=lambda: {"ateliers": 0, "apprenants": 0, "résultats": 0}
    )
    updated: dict[str, int] = field(default_factory=lambda: {"ateliers": 0, "résultats": 0})


def _workshop(session: Session, site: str, w: dict[str, Any], report: ImportReport) -> None:
    found = session.scalars(select(Workshop).where(Workshop.uid == w["uid"])).first()
    if found is not None and found.site != site:
        raise BundleError(
            f"Paquet refusé : l'atelier « {found.title} » appartient déjà au site « {found.site} ». "
            "Rien n'a été importé."
        )
    if found is None:
        found = Workshop(
            uid=w["uid"], site=site, created=from_iso(w["created"]) or datetime.now(UTC)
        )
        session.add(found)
        report.added["ateliers"] += 1
    else:
        found.modules = []
        found.attendances = []
        session.flush()  # the old rows go before the new ones meet the unique constraints
        report.updated["ateliers"] += 1
    found.title = clean_text(w["title"], "title", required=True)
    found.day = date.fromisoformat(w["day"])
    found.start = time.fromisoformat(w["start"]) if w["start"] else None
    found.duration_minutes = w["duration_minutes"]
    found.place = clean_text(w["place"], "place")
    found.trainer = clean_text(w["trainer"], "trainer")
    found.place_kind, found.equipment, found.level = w["place_kind"], w["equipment"], w["level"]
    found.modules = [WorkshopModule(module_id=m, position=n) for n, m in enumerate(w["modules"])]
    present = set(w.get("present", []))  # a bundle made before presence was carried: nobody
    found.attendances = [
        Attendance(learner_id=k, present=k in present) for k in sorted(set(w["learners"]))
    ]


def _elsewhere(site: str) -> BundleError:
    return BundleError(
        f"Paquet refusé : il cite un apprenant du site « {site} », "
        "et un site ne parle que pour lui-même. Rien n'a été importé."
    )


def _result(session: Session, site: str, r: dict[str, Any], report: ImportReport) -> None:
    found = session.scalars(
        select(ImportedResult).where(
            ImportedResult.learner_key == r["learner"], ImportedResult.module_id == r["module"]
        )
    ).first()
    sent = from_iso(r["submitted"])
    questions = json.dumps(r["questions"], sort_keys=True)
    if found is not None and found.site != site:
        raise _elsewhere(found.site)
    if found is None:
        session.add(ImportedResult(site=site, learner_key=r["learner"], module_id=r["module"],
                                   submitted=sent, questions=questions))  # fmt: skip
        report.added["résultats"] += 1
        return
    old = from_iso(found.submitted.isoformat()) if found.submitted else None
    if (sent, questions) != (old, found.questions) and (old is None or (sent and sent >= old)):
        found.submitted, found.questions = sent, questions
        report.updated["résultats"] += 1


def _lesson(session: Session, lesson: dict[str, Any]) -> None:
    found = session.scalars(
        select(ImportedLesson).where(
            ImportedLesson.learner_key == lesson["learner"],
            ImportedLesson.module_id == lesson["module"],
        )
    ).first()
    if found is None:
        session.add(ImportedLesson(learner_key=lesson["learner"], module_id=lesson["module"],
                                   done=lesson["done"], total=lesson["total"]))  # fmt: skip
    elif lesson["done"] > found.done:
        found.done, found.total = lesson["done"], lesson["total"]


def store_bundle(session: Session, bundle: Bundle) -> ImportReport:
    """Write a checked bundle through `session` (the caller's one transaction)."""
    report = ImportReport(bundle.site)
    if session.scalars(
        select(ImportedBundle).where(ImportedBundle.digest == bundle.digest)
    ).first():
        report.already = True
        return report
    known = {row.key: row.site for row in session.scalars(select(ImportedLearner))}
    for key in bundle.learners:
        if key in known and known[key] != bundle.site:
            raise _elsewhere(known[key])
        if key not in known:
            session.add(ImportedLearner(key=key, site=bundle.site))
            report.added["apprenants"] += 1
    for w in bundle.workshops:
        _workshop(session, bundle.site, w, report)
    for r in bundle.results:
        _result(session, bundle.site, r, report)
    for lesson in bundle.lessons:
        _lesson(session, lesson)
    session.add(ImportedBundle(digest=bundle.digest, site=bundle.site, made=bundle.made,
                               imported=datetime.now(UTC)))  # fmt: skip
    return report


def read_any(project: Project, path: Path) -> Bundle | Any:
    """A bundle of today's format or a device's signed payload, checked whole."""
    from course.coordinator.bundle_check import LEGACY, check_bundle
    from course.coordinator.devices import sender
    from course.coordinator.payload_import import SIGNED, check_payload

    settings = CoordinatorSettings(config=project.config)
    blobs = read_members(path, [LEGACY, SIGNED])
    if SIGNATURE in blobs:
        return check_payload(blobs, lambda device: sender(project, device))
    if not settings.unsigned_bundles:
        raise BundleError(
            "Paquet refusé : il n'est pas signé par un appareil inscrit, et la coordination "
            "n'accepte plus que ceux-là (c.CoordinatorSettings.unsigned_bundles). "
            "Rien n'a été importé."
        )
    return check_bundle(blobs, settings.bundle_key)


def import_bundles(project: Project, paths: list[Path]) -> list[ImportReport]:
    """Check every bundle first, then import them all in one transaction (all or nothing)."""
    from course.coordinator.payload_import import Payload, store_payload

    checked = [read_any(project, path) for path in paths]
    book = project.workshops()
    try:
        with book.session() as session:
            return [
                store_payload(session, item) if isinstance(item, Payload)
                else store_bundle(session, item)
                for item in checked
            ]  # fmt: skip
    finally:
        book.close()
