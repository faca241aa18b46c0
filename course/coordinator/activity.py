"""The activity report in La Coop's terms: one line per workshop, ready for its compte-rendu.

La Coop de la médiation numérique asks a conseiller, for each atelier collectif, its date,
duration in minutes, type de lieu, matériel, thématiques, title, niveau and number of
participants (its form in `inclusion-numerique/coop-mediation-numerique`). The sheet « Activités » has an « Informations export »
block on top and a filterable table, like La Coop's own export; several values in one cell
are separated by a line break, dates are dd/mm/yyyy. Each value appears as La Coop's form shows
it (what the conseiller clicks), and again at the end as La Coop's code, for an import.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from course.content.catalogue import Module
from course.coordinator import filters as select
from course.coordinator.filters import EVERYTHING, Filters
from course.coordinator.live import records_for
from course.coordinator.records import Records
from course.coordinator.sheets import Column, Sheet
from course.coordinator.writers import write_csv, write_xlsx
from course.lacoop import ACTIVITY_TYPES, THEMATIQUES
from course.settings import Project
from course.workshops import Workshop
from course.workshops.model import EQUIPMENT, LEVELS, PLACE_KINDS

COLLECTIF = "Collectif"
COLUMNS = [
    Column("Date", "date", 12),
    Column("Type", width=18),
    Column("Participants", "integer", 12),
    Column("Nom du lieu", width=28),
    Column("Durée (min)", "integer", 12),
    Column("Nom de l'atelier", width=34),
    Column("Type de lieu", width=16),
    Column("Matériel numérique utilisé", width=18),
    Column("Thématique(s) d'accompagnement", width=34),
    Column("Niveau d'autonomie (ou de l'atelier)", width=16),
    Column("Site", width=22),
    Column("Animateur ou animatrice", width=20),
    Column("Modules", width=30),
    Column("Type (code La Coop)", width=12),
    Column("Type de lieu (code La Coop)", width=14),
    Column("Matériel (code La Coop)", width=14),
    Column("Thématiques (codes La Coop)", width=28),
    Column("Niveau (code La Coop)", width=14),
]


def thematiques(workshop: Workshop, modules: dict[str, Module]) -> list[str]:
    """La Coop's thématiques of a workshop: those of its modules, in La Coop's order."""
    found = {t for m in workshop.module_ids if m in modules for t in modules[m].thematiques}
    return [code for code in THEMATIQUES if code in found]


def activity_sheet(
    records: Records, modules: list[Module], f: Filters = EVERYTHING, made: datetime | None = None
) -> Sheet:
    by_id = {m.id: m for m in modules}
    # La Coop counts those who came; a workshop nobody came to is no activity to report.
    counted = [(w, records.participants(w)) for w in select.workshops(records, f)]
    kept = [w for w, came in counted if came]
    made = made or datetime.now(ZoneInfo(records.timezone))
    sites = sorted({w.site for w in kept if w.site})
    intro = [
        ("Informations export", "Activités des ateliers numériques, pour La Coop"),
        ("Sites", ", ".join(sites) or "—"),
        ("Période", f.describe()),
        ("Exporté le", made.strftime("%d/%m/%Y à %H:%M")),
        ("Nombre d'activités", str(len(kept))),
    ]
    sheet = Sheet("Activités", list(COLUMNS), intro=intro, slug="activites")
    for w, came in counted:
        if not came:
            continue
        codes = thematiques(w, by_id)
        sheet.add(
            [
                w.day,
                ACTIVITY_TYPES[COLLECTIF],
                len(came),
                w.place,
                w.duration_minutes,
                w.title,
                PLACE_KINDS.get(w.place_kind, w.place_kind),
                EQUIPMENT.get(w.equipment, w.equipment),
                "\n".join(THEMATIQUES[c] for c in codes),
                LEVELS.get(w.level, w.level),
                w.site,
                w.trainer,
                "\n".join(by_id[m].title if m in by_id else m for m in w.module_ids),
                COLLECTIF,
                w.place_kind,
                w.equipment,
                "\n".join(codes),
                w.level,
            ]
        )
    return sheet


def export_activity(
    project: Project, output: Path, fmt: str = "xlsx", f: Filters = EVERYTHING
) -> int:
    """Write La Coop's activity report; return how many workshops it lists."""
    sheet = activity_sheet(records_for(project, include_names=False), project.catalogue.modules, f)
    if fmt == "csv":
        write_csv(output, sheet)
    else:
        write_xlsx(output, [sheet])
    return len(sheet.rows)
