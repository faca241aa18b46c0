"""What the trainer downloads for one workshop.

- `workshop_export`: this workshop's results (the coordinator's results export, first names
  included, kept to this workshop's group and modules) or its line of La Coop's activity report,
  as French CSV or XLSX bytes: the same builders as `course export` and `course activity`.

The site's bundle for « Envoyer à la coordination » is `course.coordinator.outbox.site_bundle`,
shared with the coordination space and `course bundle`.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from course.coordinator.activity import activity_sheet
from course.coordinator.export import results_sheets
from course.coordinator.filters import Filters
from course.coordinator.records import gather
from course.coordinator.sheets import Sheet
from course.coordinator.writers import to_csv, write_xlsx
from course.settings import Project
from course.workshops import Workshop, WorkshopError

EXPORTS = ("resultats", "activite")
NOBODY_CAME = (
    "Personne n'est marqué présent à cet atelier, et personne n'y a travaillé : La Coop ne compte "
    "que les personnes venues. Marquez d'abord qui est venu (page « Le groupe et les cartes », "
    "partie « Qui est venu ? »)."
)


def _xlsx(sheets: list[Sheet]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xlsx"
        write_xlsx(path, sheets)
        return path.read_bytes()


def workshop_export(project: Project, workshop: Workshop, name: str, fmt: str) -> bytes:
    """`name`: "resultats" (first names, one line per person and module) or "activite" (La
    Coop's line); `fmt`: "csv" (the first sheet) or "xlsx" (every sheet)."""
    if name not in EXPORTS or fmt not in ("csv", "xlsx"):
        raise WorkshopError("Cet export n'existe pas.")
    if not workshop.counts:
        raise WorkshopError(
            "Cet atelier n'est compté dans aucun rapport : il est annulé, ou personne n'y est "
            "inscrit."
        )
    records = gather(project, include_names=True)
    kept = [r for r in records.results
            if (w := records.workshop_of(r)) is not None and w.id == workshop.id]  # fmt: skip
    own = [w for w in records.workshops if w.id == workshop.id]
    records = replace(records, workshops=own, results=kept)
    modules = [m for m in project.catalogue.modules if m.id in workshop.module_ids]
    if name == "activite":
        if not records.participants(own[0]):  # La Coop counts those who came
            raise WorkshopError(NOBODY_CAME)
        sheets = [activity_sheet(records, modules, Filters())]
    else:
        sheets = results_sheets(records, modules, Filters(), anonymous=False)
    if fmt == "xlsx":
        return _xlsx(sheets)
    return ("\ufeff" + to_csv(sheets[0])).encode("utf-8")
