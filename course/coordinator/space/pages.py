"""The coordinator's pages: the dashboard, the learners' competence profiles, the bundles.

HTML drawn on the server, forms that work without JavaScript; charts are inline SVG
(`course.coordinator.charts`), each followed by a table with the same figures. Learners are
shown by pseudonym only.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from course.coordinator import filters as chosen
from course.coordinator.bundle_import import import_bundles
from course.coordinator.charts import Bar, bar_chart
from course.coordinator.figures import dashboard
from course.coordinator.space.common import CoordinatorPage, hours, in_thread, percent
from course.coordinator.store import ImportedBundle
from course.core.errors import UserError
from course.core.french import day_and_clock
from course.settings import Project
from course.web.space import Rule

MAX_BUNDLE_BYTES = 64 * 1024 * 1024
RECENT = 30  # workshops listed on the dashboard, newest first (the period filter narrows them)


class DashboardPage(CoordinatorPage):
    """Figures for a period and filters; charts for competences and sites."""

    async def get(self) -> None:
        f, error = self.filters()
        records = await self.records()
        board = dashboard(records, self.project.catalogue.modules, f)
        competences = bar_chart(
            "graphique-competences",
            [Bar(c.label, c.share, percent(c.share)) for c in board.competences],
            maximum=1,
        )
        sites = bar_chart(
            "graphique-sites",
            [Bar(line.label, line.hours, hours(line.hours)) for line in board.by_site],  # fmt: skip
        )
        held = chosen.workshops(records, f)  # every workshop of the period, not only today's
        self.page("dashboard.html.j2", title="Tableau de bord", current="dashboard",
                  board=board, f=f, error=error, competences_chart=competences,
                  sites_chart=sites, recent=held[::-1][:RECENT], more=max(0, len(held) - RECENT),
                  titles={m.id: m.title for m in self.project.catalogue.modules})  # fmt: skip


class ProfilesPage(CoordinatorPage):
    """Each learner's competence profile over all their evaluations in the filters."""

    async def get(self) -> None:
        f, error = self.filters()
        records = await self.records()
        board = dashboard(records, self.project.catalogue.modules, f)
        charts = {
            p.pseudonym: bar_chart(
                f"profil-{n}", [Bar(c.label, c.share, percent(c.share)) for c in p.competences], 1
            )
            for n, p in enumerate(board.profiles)
        }
        self.page("profiles.html.j2", title="Profils de compétences", current="profiles",
                  board=board, f=f, error=error, charts=charts)  # fmt: skip


def _imported(project: Project) -> list[dict[str, str]]:
    """The bundles imported so far, newest first, dated in the project's zone (`c.CourseSettings.timezone`)."""
    zone = ZoneInfo(project.settings.timezone)
    book = project.workshops()
    try:
        with book.session() as session:
            rows = session.scalars(select(ImportedBundle)).all()
    finally:
        book.close()
    found = []
    for row in sorted(rows, key=lambda b: b.imported, reverse=True):
        made = datetime.fromisoformat(row.made) if row.made else None
        found.append({
            "site": row.site,
            "made": day_and_clock(made, zone) if made else "—",
            "imported": day_and_clock(row.imported, zone),  # naive: UTC, as stored
        })  # fmt: skip
    return found


class BundlesPage(CoordinatorPage):
    """Bundles from the sites' laptops: what was imported, and a form to add more."""

    async def get(self, notice: str = "", error: str = "") -> None:
        bundles = await in_thread(_imported, self.project)
        self.page("bundles.html.j2", title="Paquets des sites", current="bundles",
                  bundles=bundles, notice=notice, error=error)  # fmt: skip

    async def post(self) -> None:
        files = self.request.files.get("paquet", [])
        if not files:
            self.set_status(400)
            await self.get(error="Choisissez au moins un paquet (un fichier .zip).")
            return
        if any(len(f["body"]) > MAX_BUNDLE_BYTES for f in files):
            self.set_status(400)
            await self.get(error="Ce fichier est bien trop gros pour un paquet d'ateliers.")
            return
        with tempfile.TemporaryDirectory() as folder:
            paths = []
            for n, upload in enumerate(files):
                path = Path(folder) / f"paquet-{n}.zip"
                path.write_bytes(upload["body"])
                paths.append(path)
            try:
                reports = await in_thread(import_bundles, self.project, paths)
            except UserError as refused:
                self.set_status(400)
                await self.get(error=str(refused))
                return
        lines = []
        for report in reports:
            if report.already:
                lines.append(f"{report.site} : ce paquet était déjà importé, rien n'a été ajouté.")
            else:
                added = ", ".join(f"{n} {what}" for what, n in report.added.items())
                lines.append(f"{report.site} : ajoutés {added}.")
        await self.get(notice=" ".join(lines))


def rules() -> list[Rule]:
    return [
        ("", DashboardPage, {}),
        ("apprenants", ProfilesPage, {}),
        ("paquets", BundlesPage, {}),
    ]
