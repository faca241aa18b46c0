"""Today's workshop's module: the one `course serve` puts first on the home page and preheats
when the trainer names none (`--module`), and that the trainer's space notes each time a
workshop is created or changed (`note_todays_module`), so that a server started before the
workshop existed (a hub's site service) still shows it first (`course.core.todays_module`)."""

from __future__ import annotations

from course.content.catalogue import Module
from course.settings import Project


def todays_module(project: Project) -> Module | None:
    """The module of today's workshop in the workshops book (today in the project's zone,
    `course.core.french.today`): the one that has started last, else the first of the day; its
    first module that is still in the catalogue. None when there is no workshop today.

    Read when the server starts and when the trainer's space changes a workshop (learner
    kernels must not import SQLAlchemy, `tests/learner/test_page_imports.py`); `course serve
    --module` wins over it at start."""
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


def note_todays_module(project: Project) -> None:
    """Write today's module for the learners' home page (`course.core.todays_module`)."""
    from course.core.french import today
    from course.core.todays_module import write_todays_module

    module = todays_module(project)
    write_todays_module(project.data_dir, today(), module.id if module else "")
