"""The trainer's space, `/atelier/`: today's workshop, its group and cards, live progress, the
nbgrader cycle as buttons, grading written answers, results. Declared as the entry point
`trainer` of `course.spaces` and mounted in `course serve`'s Voilà server
(`course.server.spaces`), behind the role "trainer" (`course.access.gate.TrainerAccess`).
"""

from __future__ import annotations

from course.settings import Project
from course.web.space import Rule, Space

PREFIX = "atelier"  # joined to the server's base URL (`Space.url`)


def _pages(space: Space) -> list[Rule]:
    from course.trainer.space import (
        api,
        documents_page,
        locks,
        pages,
        send_page,
        settings_page,
        workshops_page,
    )

    return [
        *workshops_page.rules(),  # the home page: the workshops, and the form to create one
        *settings_page.rules(),
        *documents_page.rules(),  # presence, attestations, results book, exports
        *send_page.rules(),
        *pages.rules(),
        *locks.rules(),
        *api.rules(),
    ]


def trainer_space(project: Project) -> Space:
    from course.core import french
    from course.trainer.space.codes import FreshCodes
    from course.trainer.space.jobs import Jobs

    space = Space(
        project=project,
        role="trainer",
        prefix=PREFIX,
        title="Espace de l'animateur",
        pages=_pages,
        template_package="course.trainer.space",
        extra={"jobs": Jobs(project), "codes": FreshCodes()},
    )
    space.env.filters.update(
        points=french.points_text, points_label=french.points, day=french.day, clock=french.clock
    )
    space.env.globals["count"] = french.count  # « 3 personnes inscrites », never « (s) »
    return space
