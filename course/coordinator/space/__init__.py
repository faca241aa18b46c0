"""The coordinator's space, `/coordination/`: the dashboard (figures, charts, Pix competences),
learners' competence profiles, the exports to download, and bundles from the sites' laptops.
Declared as the entry point `coordination` of `course.spaces` and mounted in `course serve`'s
Voilà server (`course.server.spaces`), behind the role "coordinator"
(`course.access.gate.CoordinatorAccess`): a link printed on this computer, or a password.
"""

from __future__ import annotations

from course.settings import Project
from course.web.space import Rule, Space

PREFIX = "coordination"  # joined to the server's base URL (`Space.url`)
REFUSED = "Accès réservé. Cette page est réservée à la coordination."


def _pages(space: Space) -> list[Rule]:
    from course.coordinator.space import devices_page, downloads, pages, sync_api

    return [*pages.rules(), *downloads.rules(), *devices_page.rules(), *sync_api.rules()]


def coordinator_space(project: Project) -> Space:
    return Space(
        project=project,
        role="coordinator",
        prefix=PREFIX,
        title="Espace de la coordination",
        pages=_pages,
        template_package="course.coordinator.space",
        refused=REFUSED,
    )
