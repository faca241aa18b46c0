"""Which part of the records a coordinator looks at: a period, a site, a trainer, a module.

The dashboard and every export take the same `Filters`, so a figure on screen and a line in a
spreadsheet always count the same things. A result falls in the period of its workshop's day
(or, without a workshop, of the day it was sent, in local time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from course.coordinator.records import Records, Result
from course.workshops import Workshop


@dataclass(frozen=True)
class Filters:
    since: date | None = None
    until: date | None = None
    site: str = ""
    trainer: str = ""
    module_id: str = ""

    def describe(self) -> str:
        """The filters in a French sentence (export headers, the dashboard's title)."""
        parts = []
        if self.since and self.until:
            parts.append(f"du {self.since:%d/%m/%Y} au {self.until:%d/%m/%Y}")
        elif self.since:
            parts.append(f"depuis le {self.since:%d/%m/%Y}")
        elif self.until:
            parts.append(f"jusqu'au {self.until:%d/%m/%Y}")
        else:
            parts.append("toutes les dates")
        if self.site:
            parts.append(f"site « {self.site} »")
        if self.trainer:
            parts.append(f"animation « {self.trainer} »")
        if self.module_id:
            parts.append(f"module « {self.module_id} »")
        return ", ".join(parts)


def _day_ok(day: date, f: Filters) -> bool:
    return (f.since is None or day >= f.since) and (f.until is None or day <= f.until)


def workshops(records: Records, f: Filters) -> list[Workshop]:
    """The workshops in the filters, oldest first."""
    kept = [
        w
        for w in records.workshops
        if _day_ok(w.day, f)
        and (not f.site or w.site == f.site)
        and (not f.trainer or w.trainer == f.trainer)
        and (not f.module_id or f.module_id in w.module_ids)
    ]
    return sorted(kept, key=lambda w: (w.day, w.start.isoformat() if w.start else "", w.id))


def results(records: Records, f: Filters) -> list[tuple[Result, Workshop | None]]:
    """The results in the filters, each with its workshop, by module then learner."""
    kept = []
    for result in records.results:
        workshop = records.workshop_of(result)
        sent = records.local(result.submitted)
        day = workshop.day if workshop else (sent.date() if sent else None)
        if (f.since or f.until) and (day is None or not _day_ok(day, f)):
            continue
        site = workshop.site if workshop else result.site
        if f.site and site != f.site:
            continue
        if f.trainer and (workshop is None or workshop.trainer != f.trainer):
            continue
        if f.module_id and result.module_id != f.module_id:
            continue
        kept.append((result, workshop))
    kept.sort(key=lambda rw: (rw[0].module_id, rw[0].site, rw[0].learner_key))
    return kept


EVERYTHING = Filters()
