"""The exports, downloaded from the coordinator's space with the dashboard's filters.

`exports/resultats.xlsx` (results, questions and competences sheets), its anonymised variant,
each sheet as French CSV, and La Coop's activity report in XLSX and CSV: the same builders as
`course export` and `course activity`, written to a temporary file and sent. Also this
laptop's own bundle (`course.coordinator.outbox`: `paquet-<site>-<day>.zip`, a copy kept under
`var/paquets/`, as the trainer's « Envoyer à la coordination »), so a site sends it without a
terminal.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from course.content.catalogue import Module
from course.coordinator.activity import activity_sheet
from course.coordinator.bundle import BundleError
from course.coordinator.export import results_sheets
from course.coordinator.filters import Filters
from course.coordinator.outbox import site_bundle
from course.coordinator.records import Records, local_site
from course.coordinator.sheets import Sheet
from course.coordinator.space.common import CoordinatorPage, in_thread
from course.coordinator.writers import to_csv, write_xlsx
from course.core import french
from course.web.space import Rule, space_url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# name -> (anonymised, which sheets: "all" for a workbook, or one sheet's slug)
EXPORTS = {
    "resultats": (False, "resultats"),
    "resultats-anonymes": (True, "resultats"),
    "questions": (True, "questions"),
    "competences": (False, "competences"),
    "competences-anonymes": (True, "competences"),
    "activites-la-coop": (True, "activites"),
}


def sheets_for(records: Records, modules: list[Module], name: str, f: Filters) -> list[Sheet]:
    anonymous, slug = EXPORTS[name]
    if slug == "activites":
        return [activity_sheet(records, modules, f)]
    return results_sheets(records, modules, f, anonymous)


def _xlsx(sheets: list[Sheet]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xlsx"
        write_xlsx(path, sheets)
        return path.read_bytes()


class ExportFile(CoordinatorPage):
    async def get(self, name: str, fmt: str) -> None:
        if name not in EXPORTS:
            self.send_error(404)
            return
        if not EXPORTS[name][0] and not self.names_known():
            self.set_status(400)
            self.render_page("refused.html.j2", title="Pas de prénoms sur cet ordinateur",
                             message="Les prénoms restent sur l'ordinateur de chaque site : les "
                             "paquets n'en apportent aucun. Téléchargez les résultats avec "
                             "pseudonymes.")  # fmt: skip
            return
        f, _error = self.filters()
        records = await self.records()
        sheets = sheets_for(records, self.project.catalogue.modules, name, f)
        if fmt == "xlsx":
            body = await in_thread(_xlsx, sheets)
            self.set_header("Content-Type", XLSX)
        else:
            slug = EXPORTS[name][1]
            sheet = next(s for s in sheets if s.slug == slug)
            body = ("\ufeff" + to_csv(sheet)).encode("utf-8")
            self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="{name}.{fmt}"')
        self.finish(body)


class SiteBundleFile(CoordinatorPage):
    """This laptop's own bundle, for the coordinator of a network of sites."""

    async def get(self) -> None:
        site, day = local_site(self.project), french.today()
        try:  # named and kept as the trainer's « Envoyer à la coordination » does
            name, body, _counts = await in_thread(site_bundle, self.project, site, day)
        except BundleError as error:  # no site name yet: said with a link to where it is set
            self.set_status(400)
            # The trainer's space (`course.trainer.space.PREFIX`), where the settings live.
            settings = space_url(self.space.base_url, "atelier", "reglages")
            self.problem(
                "Pas encore de paquet", str(error), (settings, "Ouvrir les réglages du site")
            )
            return
        self.set_header("Content-Type", "application/zip")
        self.set_header("Content-Disposition", f'attachment; filename="{name}"')
        self.finish(body)


def rules() -> list[Rule]:
    return [
        (r"exports/([a-z-]{1,40})\.(xlsx|csv)", ExportFile, {}),
        (r"paquet-du-site\.zip", SiteBundleFile, {}),
    ]
