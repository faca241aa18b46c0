"""What the trainer downloads for one workshop, and the site's bundle for the coordination.

- `workshop_export`: this workshop's results (the coordinator's results export, first names
  included, kept to this workshop's group and modules) or its line of La Coop's activity report,
  as French CSV or XLSX bytes: the same builders as `course export` and `course activity`.
- `site_bundle`: « Envoyer à la coordination »: this laptop's bundle (`course bundle`), named
  `paquet-<site>-<day>.zip`, kept under `var/paquets/` (owner only) and returned for download.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

from course.access.roster import slugify
from course.coordinator.activity import activity_sheet
from course.coordinator.bundle import make_bundle
from course.coordinator.export import results_sheets
from course.coordinator.filters import Filters
from course.coordinator.records import gather
from course.coordinator.sheets import Sheet
from course.coordinator.writers import to_csv, write_xlsx
from course.core.files import private_dir, private_write
from course.settings import Project
from course.workshops import Workshop, WorkshopError

EXPORTS = ("resultats", "activite")
BUNDLES = "paquets"


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
        sheets = [activity_sheet(records, modules, Filters())]
    else:
        sheets = results_sheets(records, modules, Filters(), anonymous=False)
    if fmt == "xlsx":
        return _xlsx(sheets)
    return ("\ufeff" + to_csv(sheets[0])).encode("utf-8")


def bundle_name(site: str, day: date) -> str:
    """`paquet-mediatheque-de-brest-2026-12-07.zip`: no accent, no space, safe everywhere."""
    return f"paquet-{slugify(site)[:60].strip('-') or 'site'}-{day.isoformat()}.zip"


def site_bundle(project: Project, site: str, day: date) -> tuple[str, bytes, dict[str, int]]:
    """The bundle's file name, its bytes and what it holds; also kept as
    `var/paquets/<name>` (owner only). A `BundleError` (French) when the site has no name."""
    name = bundle_name(site, day)
    folder = private_dir(project.data_dir / BUNDLES)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        made = Path(scratch) / name
        counts = make_bundle(project, made)
        data = made.read_bytes()
    private_write(folder / name, data)
    return name, data, counts
