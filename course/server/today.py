"""Today's workshop's module, which `course serve` puts first on the home page and preheats
when the trainer names none (`--module`)."""

from __future__ import annotations

from course.content.catalogue import Module
from course.settings import Project


def todays_module(project: Project) -> Module | None:
    """The module of today's workshop in the workshops book (today in the project's zone,
    `course.core.french.today`): the one that has started last, else the first of the day; its
    first module that is still in the catalogue. None when there is no workshop today.

    Read once when the server starts (learner kernels must not import SQLAlchemy,
    `tests/learner/test_page_imports.py`); `course serve --module` wins over it."""
    from course.core.french import now
    from course.workshops.migrations import upgrade

    # `course serve` reads the book before `serve.start` upgrades it: a book one version behind
    # is upgraded here first (at the newest revision this costs nothing), not refused.
    upgrade(project)
    moment = now()
    book = project.workshops()
    try:
        workshops = sorted(book.on_day(moment.date()), key=lambda ws: (ws.start is None, ws.start))
    finally:
        book.close()
    started = [ws for ws in workshops if ws.start is not None and ws.start <= moment.time()]
    ordered = [started[-1], *workshops] if started else workshops
    known = {m.id: m for m in project.catalogue.modules}
    for ws in ordered:
        for module_id in ws.module_ids:
            if module_id in known:
                return known[module_id]
    return None
